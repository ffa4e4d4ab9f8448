import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { buildApp } from '@lib/app';
import { iamStatements, resourcesOf, synthesize, TEST_ENV } from './support';

const REPO_ROOT = join(__dirname, '..', '..');
const dev = synthesize('dev');
const prod = synthesize('prod');

/** Runs bin/app.ts the way `cdk synth` does (tsx, context in CDK_CONTEXT_JSON), without synthesizing. */
const runBin = (context: Record<string, unknown>) => {
  // Without CDK_OUTDIR the App does not synthesize on exit: nothing is bundled or written.
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context) };
  delete env.CDK_OUTDIR;
  return spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['bin/app.ts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
};

describe('the app', () => {
  const stacksOf = (built: typeof dev) => [
    built.stacks.data,
    built.stacks.auth,
    built.stacks.messaging,
    built.stacks.workflow,
    built.stacks.api,
  ];
  const dependenciesOf = (stack: Stack) =>
    stack.dependencies.map((dependency) => dependency.stackName).sort();

  it('composes five stacks named after the stage, in the given environment', () => {
    expect(stacksOf(dev).map((stack) => stack.stackName)).toEqual([
      'CoreBanking-dev-Data',
      'CoreBanking-dev-Auth',
      'CoreBanking-dev-Messaging',
      'CoreBanking-dev-Workflow',
      'CoreBanking-dev-Api',
    ]);
    for (const stack of stacksOf(dev)) {
      expect(stack.account).toBe(TEST_ENV.account);
      expect(stack.region).toBe(TEST_ENV.region);
    }
  });

  it('deploys the workflow after what its tasks use, and the API after everything', () => {
    expect(dependenciesOf(dev.stacks.messaging)).toEqual([]);
    expect(dependenciesOf(dev.stacks.workflow)).toEqual([
      'CoreBanking-dev-Auth',
      'CoreBanking-dev-Data',
      'CoreBanking-dev-Messaging',
    ]);
    expect(dependenciesOf(dev.stacks.api)).toEqual([
      'CoreBanking-dev-Auth',
      'CoreBanking-dev-Data',
      'CoreBanking-dev-Documents',
      'CoreBanking-dev-Messaging',
      'CoreBanking-dev-Workflow',
    ]);
  });

  it('tags every stack with the project and the stage', () => {
    for (const stack of stacksOf(prod)) {
      expect(stack.tags.tagValues()).toEqual({ project: 'core-banking', stage: 'prod' });
    }
  });

  it('protects the stateful stacks from deletion outside dev only', () => {
    expect(prod.stacks.data.terminationProtection).toBe(true);
    expect(prod.stacks.auth.terminationProtection).toBe(true);
    expect(dev.stacks.data.terminationProtection).toBe(false);
    expect(dev.stacks.auth.terminationProtection).toBe(false);
  });

  it.each(['qa', '', 'Prod'])('refuses the stage %j', (stage) => {
    expect(() => buildApp(new App(), { stage })).toThrow(
      /Unknown stage .*expected one of dev, staging, prod/,
    );
  });
});

describe('least privilege', () => {
  const templates = [dev, prod].flatMap((built) =>
    (['data', 'auth', 'messaging', 'workflow', 'api'] as const).map(
      (name) => [`${built.stacks.stage} ${name}`, built[name]] as const,
    ),
  );

  it.each(templates)('%s: no IAM statement allows a wildcard action', (_name, template) => {
    const actions = iamStatements(template).flatMap((statement) => statement.Action);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('finds the statements it checks (the check above is not vacuous)', () => {
    expect(iamStatements(dev.api).flatMap((statement) => statement.Action)).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'kms:GenerateMac', 'cognito-idp:AdminCreateUser']),
    );
    expect(iamStatements(dev.workflow).flatMap((statement) => statement.Action)).toEqual(
      expect.arrayContaining(['lambda:InvokeFunction', 'states:SendTaskSuccess', 'sqs:SendMessage']),
    );
  });

  it('leaves key policies at the account-root delegation, so IAM policies decide who uses the keys', () => {
    for (const key of Object.values(resourcesOf(dev.data, 'AWS::KMS::Key'))) {
      const statements = (key.Properties?.KeyPolicy as { Statement: unknown[] }).Statement;
      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${TEST_ENV.account}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ]);
    }
  });
});

describe('bin/app.ts', () => {
  it('refuses an unknown stage with a clear message', () => {
    const result = runBin({ stage: 'qa' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Unknown stage "qa": expected one of dev, staging, prod');
  });

  it('builds the app for a valid stage', () => {
    const result = runBin({ stage: 'staging', 'aws:cdk:bundling-stacks': [] });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
