import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, type CoreBankingStacks } from '@lib/app';

/** cdk.json's feature flags: the CLI passes them to bin/app.ts, so the tests must build with them too. */
const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

export const TEST_ENV = { account: '000000000000', region: 'us-east-1' } as const;

/** A stand-in for web/dist, so the console stack's template does not depend on a local build. */
export const CONSOLE_FIXTURE_DIR = join(__dirname, 'fixtures', 'console-dist');

export interface SynthesizedApp {
  readonly stacks: CoreBankingStacks;
  readonly data: Template;
  readonly auth: Template;
  readonly messaging: Template;
  readonly workflow: Template;
  readonly api: Template;
  readonly events: Template;
  /** Only with the `adminEmail` context. */
  readonly firstAdmin?: Template;
  readonly documents: Template;
}

/**
 * Builds the real app for a stage. Asset bundling is skipped (no esbuild runs), which keeps a file's
 * synthesis to a couple of seconds; NodejsFunction still checks that every handler entry file exists.
 * `context` is what `cdk synth -c key=value` would pass.
 */
export const synthesize = (
  stage: string,
  context: Record<string, unknown> = {},
  /** Adds test-only constructs to the built app before it is synthesized. */
  extend?: (stacks: CoreBankingStacks) => void,
): SynthesizedApp => {
  const app = new App({ context: { ...CDK_JSON_CONTEXT, ...context, 'aws:cdk:bundling-stacks': [] } });
  const stacks = buildApp(app, { stage, env: TEST_ENV, consoleAssetsDir: CONSOLE_FIXTURE_DIR });
  extend?.(stacks);
  return {
    stacks,
    data: Template.fromStack(stacks.data),
    auth: Template.fromStack(stacks.auth),
    messaging: Template.fromStack(stacks.messaging),
    workflow: Template.fromStack(stacks.workflow),
    api: Template.fromStack(stacks.api),
    events: Template.fromStack(stacks.events),
    ...(stacks.firstAdmin ? { firstAdmin: Template.fromStack(stacks.firstAdmin) } : {}),
    documents: Template.fromStack(stacks.documents),
  };
};

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

export const resourcesOf = (template: Template, type: string): Resources =>
  template.findResources(type) as Resources;

/** The one resource of a type whose properties match, with its logical id. */
export const onlyResource = (
  template: Template,
  type: string,
  props?: Record<string, unknown>,
): { logicalId: string; properties: Record<string, unknown> } => {
  const found = Object.entries(template.findResources(type, props ? { Properties: props } : undefined));
  if (found.length !== 1) throw new Error(`Expected exactly one ${type}, found ${found.length}`);
  const [logicalId, resource] = found[0] as [string, { Properties: Record<string, unknown> }];
  return { logicalId, properties: resource.Properties };
};

/** Policy statements as they appear in the template, `Action` always as a list. */
export interface Statement {
  readonly Effect: string;
  readonly Action: string[];
  readonly Resource: unknown;
}

const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const statementsOf = (document: unknown): Statement[] =>
  asList((document as { Statement?: unknown[] } | undefined)?.Statement).map((raw) => {
    const statement = raw as { Effect: string; Action?: string | string[]; Resource?: unknown };
    return { Effect: statement.Effect, Action: asList(statement.Action), Resource: statement.Resource };
  });

/** Every identity-based statement in a template: inline policies, managed policies and role policies. */
export const iamStatements = (template: Template): Statement[] => {
  const policies = [
    ...Object.values(resourcesOf(template, 'AWS::IAM::Policy')),
    ...Object.values(resourcesOf(template, 'AWS::IAM::ManagedPolicy')),
  ].flatMap((policy) => statementsOf(policy.Properties?.PolicyDocument));
  const rolePolicies = Object.values(resourcesOf(template, 'AWS::IAM::Role')).flatMap((role) =>
    asList(role.Properties?.Policies as { PolicyDocument: unknown }[] | undefined).flatMap((policy) =>
      statementsOf(policy.PolicyDocument),
    ),
  );
  return [...policies, ...rolePolicies];
};

/** Statements of the policies attached to one role. */
export const roleStatements = (template: Template, roleLogicalId: string): Statement[] =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) =>
      asList(policy.Properties?.Roles as { Ref: string }[] | undefined).some(
        (ref) => ref.Ref === roleLogicalId,
      ),
    )
    .flatMap((policy) => statementsOf(policy.Properties?.PolicyDocument));

/** Statements of the policies attached to a function's execution role. */
export const functionStatements = (template: Template, functionLogicalId: string): Statement[] => {
  const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionLogicalId];
  const role = fn?.Properties?.Role as { 'Fn::GetAtt': [string, string] } | undefined;
  if (!role) throw new Error(`No role for ${functionLogicalId}`);
  return roleStatements(template, role['Fn::GetAtt'][0]);
};
