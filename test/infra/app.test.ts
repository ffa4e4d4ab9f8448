import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
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
  it('composes three stacks named after the stage, in the given environment', () => {
    expect([dev.stacks.data, dev.stacks.auth, dev.stacks.api].map((stack) => stack.stackName)).toEqual([
      'CoreBanking-dev-Data',
      'CoreBanking-dev-Auth',
      'CoreBanking-dev-Api',
    ]);
    expect(dev.stacks.api.account).toBe(TEST_ENV.account);
    expect(dev.stacks.api.region).toBe(TEST_ENV.region);
    expect(dev.stacks.api.dependencies.map((stack) => stack.stackName).sort()).toEqual([
      'CoreBanking-dev-Auth',
      'CoreBanking-dev-Data',
    ]);
  });

  it('tags every stack with the project and the stage', () => {
    for (const stack of [prod.stacks.data, prod.stacks.auth, prod.stacks.api]) {
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
  const templates = Object.entries({
    'dev data': dev.data,
    'dev auth': dev.auth,
    'dev api': dev.api,
    'prod data': prod.data,
    'prod auth': prod.auth,
    'prod api': prod.api,
  });

  it.each(templates)('%s: no IAM statement allows a wildcard action', (_name, template) => {
    const actions = iamStatements(template).flatMap((statement) => statement.Action);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('finds the statements it checks (the check above is not vacuous)', () => {
    expect(iamStatements(dev.api).flatMap((statement) => statement.Action)).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'kms:GenerateMac', 'cognito-idp:AdminCreateUser']),
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
