import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { routeById } from '@contract/routes';
import { stageConfig } from '@lib/config';
import { BankingFunction, type CapabilityResources } from '@lib/constructs/banking-function';
import type { handler as assetHandler } from '@functions/docs-swagger-asset/handler';
import { BUNDLED_ASSET_DIR, SWAGGER_DIST_FILES } from '@openapi/swagger';
import { apiEvent, lambdaContext } from '@test/events';
import { synthesize, TEST_ENV } from './support';

/*
 * The LocalStack variant as `npm run deploy:localstack` builds it: `cdklocal` (aws-cdk-local) runs the same
 * CDK CLI with its own environment (AWS_* variables stripped, test credentials, AWS_ENDPOINT_URL pointing at
 * LocalStack), and the script passes `-c stage=dev -c target=localstack`. The app itself is not patched.
 */

const REPO_ROOT = join(__dirname, '..', '..');
const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

/** aws-cdk-local's own environment rewrite, the one `cdklocal` applies before starting the CDK CLI. */
const cdklocalEnvironment = (): NodeJS.ProcessEnv => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { configureEnvironment } = require('aws-cdk-local/src') as {
    configureEnvironment: (env: NodeJS.ProcessEnv, allowList: string) => void;
  };
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.AWS_ENDPOINT_URL;
  delete env.AWS_ENDPOINT_URL_S3;
  configureEnvironment(env, '');
  return env;
};

describe('the LocalStack variant, synthesized the way cdklocal runs the app', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'cdklocal-synth-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  const env = cdklocalEnvironment();
  const run = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['bin/app.ts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...env,
      // What the CDK CLI hands the app: LocalStack's account (its STS answers 000000000000) and region,
      // cdk.json's context plus -c, and where to write the cloud assembly. Bundling is the slow part and is
      // covered below for the one function that needs more than esbuild.
      CDK_DEFAULT_ACCOUNT: '000000000000',
      CDK_DEFAULT_REGION: env.AWS_REGION,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({
        ...CDK_JSON_CONTEXT,
        stage: 'dev',
        target: 'localstack',
        'aws:cdk:bundling-stacks': [],
      }),
    },
  });

  const template = (stack: string) =>
    JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8')) as {
      Resources: Record<string, { Type: string }>;
      Outputs?: Record<string, unknown>;
    };

  it('runs with the environment cdklocal sets (LocalStack endpoint, test credentials, us-east-1)', () => {
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL: 'http://localhost.localstack.cloud:4566',
      AWS_ACCESS_KEY_ID: expect.any(String),
      AWS_REGION: 'us-east-1',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('writes all seven stacks for account 000000000000', () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
      artifacts: Record<string, { type: string; environment?: string }>;
    };
    const stacks = Object.entries(manifest.artifacts).filter(
      ([, artifact]) => artifact.type === 'aws:cloudformation:stack',
    );
    expect(stacks.map(([name]) => name).sort()).toEqual(
      ['Api', 'Auth', 'Data', 'Documents', 'Events', 'Messaging', 'Workflow'].map(
        (name) => `CoreBanking-dev-${name}`,
      ),
    );
    for (const [, artifact] of stacks) expect(artifact.environment).toBe('aws://000000000000/us-east-1');
  });

  it('leaves out the WAF web ACL (Ultimate plan only in LocalStack) and keeps everything else', () => {
    const api = template('CoreBanking-dev-Api');
    const types = new Set(Object.values(api.Resources).map((resource) => resource.Type));
    expect([...types].filter((type) => type.startsWith('AWS::WAFv2::'))).toEqual([]);
    expect([...types]).toEqual(expect.arrayContaining(['AWS::ApiGateway::RestApi', 'AWS::Lambda::Function']));
    expect(Object.keys(api.Outputs ?? {})).toEqual(
      expect.arrayContaining(['ApiUrl', 'ApiId', 'DocsUrl', 'OpenApiUrl']),
    );
  });

  it('keeps the WAF on the AWS target', () => {
    expect(synthesize('dev').api.findResources('AWS::WAFv2::WebACL')).not.toEqual({});
  });

  it('refuses an unknown target with a clear message', () => {
    expect(() => synthesize('dev', { target: 'azure' })).toThrow(
      /Unknown target "azure": expected one of aws, localstack/,
    );
  });
});

describe('the Swagger UI asset function bundle', () => {
  it('carries swagger-ui-dist files next to index.js, where the handler reads them', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'docs-bundle-'));
    try {
      // Bundled for real (esbuild, locally): only this one function, in a stack of its own.
      const app = new App({ outdir, context: { ...CDK_JSON_CONTEXT } });
      const stack = new Stack(app, 'DocsBundleProbe', { env: TEST_ENV });
      const route = routeById('SwaggerUiAsset');
      new BankingFunction(stack, route.id, {
        definition: route,
        config: stageConfig('dev'),
        // The route has no capabilities: nothing is bound, so no resource is needed.
        resources: {} as CapabilityResources,
        bundledFiles: {
          fromDirectory: join(REPO_ROOT, 'node_modules', 'swagger-ui-dist'),
          files: Object.keys(SWAGGER_DIST_FILES),
          toDirectory: BUNDLED_ASSET_DIR,
        },
      });
      app.synth();
      const bundles = readdirSync(outdir).filter((name) => existsSync(join(outdir, name, 'index.js')));
      expect(bundles).toHaveLength(1);
      const bundle = join(outdir, bundles[0] as string);
      for (const file of Object.keys(SWAGGER_DIST_FILES)) {
        expect(existsSync(join(bundle, BUNDLED_ASSET_DIR, file))).toBe(true);
      }
      // The bundled handler serves them from there.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { handler } = require(join(bundle, 'index.js')) as { handler: typeof assetHandler };
      const event = apiEvent({ method: 'GET', pathParameters: { asset: 'swagger-ui.css' } });
      const served = await handler(event, lambdaContext());
      expect(served.statusCode).toBe(200);
      expect(served.body).toBe(readFileSync(join(bundle, BUNDLED_ASSET_DIR, 'swagger-ui.css'), 'utf8'));
      Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 1);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);
});
