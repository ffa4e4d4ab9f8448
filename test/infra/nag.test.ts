import { App, Stack, Validations } from 'aws-cdk-lib';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthesize } from './support';

/*
 * cdk-nag's AWS Solutions pack over every stack of every stage. Findings are fixed in lib/ where that is
 * reasonable; the rest are acknowledged in lib/ next to the construct, each with its reason
 * (`Validations.of(construct).acknowledge`). A new finding fails here until it is one or the other.
 */

const stagesUnderTest = [
  synthesize('dev'),
  synthesize('prod', { adminEmail: 'ops@bank.example' }),
  synthesize('dev', { target: 'localstack' }),
];

const stacksOf = (built: (typeof stagesUnderTest)[number]): Stack[] => [
  built.stacks.data,
  built.stacks.auth,
  built.stacks.messaging,
  built.stacks.workflow,
  built.stacks.api,
  ...(built.stacks.firstAdmin ? [built.stacks.firstAdmin] : []),
  built.stacks.documents,
  ...(built.stacks.console ? [built.stacks.console] : []),
];

const cases = stagesUnderTest.flatMap((built) =>
  stacksOf(built).map(
    (stack) =>
      [
        `${stack.stackName}${built.stacks.api.node.tryGetContext('target') === 'localstack' ? ' (LocalStack)' : ''}`,
        stack,
      ] as const,
  ),
);

const findings = (stack: Stack) =>
  new AwsSolutionsChecks().validateScope(stack).violations.map((violation) => ({
    rule: violation.ruleName,
    severity: violation.severity,
    at: violation.violatingResources.map((resource) => resource.constructPath ?? resource.resourceLogicalId),
  }));

describe('cdk-nag AwsSolutions', () => {
  it.each(cases)('%s has no unacknowledged error', (_name, stack) => {
    expect(findings(stack).filter((finding) => finding.severity === 'error')).toEqual([]);
  });

  it.each(cases)('%s has no unacknowledged warning either', (_name, stack) => {
    expect(findings(stack).filter((finding) => finding.severity !== 'error')).toEqual([]);
  });

  it('reports a finding nobody acknowledged (the checks above are not vacuous)', () => {
    const probe = new Stack(new App(), 'NagProbe');
    new UserPool(probe, 'Pool');
    expect(findings(probe).map((finding) => finding.rule)).toEqual(
      expect.arrayContaining(['AwsSolutions-COG1', 'AwsSolutions-COG8']),
    );
  });

  it('gives every acknowledgment a concrete reason', () => {
    const acknowledgments = stagesUnderTest
      .flatMap(stacksOf)
      .flatMap((stack) => stack.node.findAll())
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) => Object.entries(entry.data as Record<string, string>)),
      );
    expect(acknowledgments.length).toBeGreaterThan(0);
    for (const [rule, reason] of acknowledgments) {
      expect({ rule, long: reason.length >= 80 }).toEqual({ rule, long: true });
    }
  });
});
