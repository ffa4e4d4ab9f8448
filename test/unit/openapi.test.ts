import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { ROUTES, type RouteDefinition } from '@contract/routes';
import { KYC_REQUIRED } from '@domain/kyc/gate';
import { BEARER_SCHEME, buildOpenApiDocument, undocumentedRoutes } from '@openapi/document';
import { API_INFO } from '@openapi/info';
import { ROUTE_DOCS, type RouteDoc } from '@openapi/registry';
import { SWAGGER_UI_VERSION } from '@openapi/swagger';

const REPO_ROOT = join(__dirname, '..', '..');
const routes: readonly RouteDefinition[] = ROUTES;
const docs = ROUTE_DOCS as Partial<Record<string, RouteDoc>>;
const document = buildOpenApiDocument();

interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  security?: Record<string, string[]>[];
  'x-roles'?: string[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: unknown; example?: unknown }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: unknown }> }>;
}

const operationOf = (route: RouteDefinition): Operation | undefined =>
  (document.paths?.[route.path] as Record<string, Operation> | undefined)?.[route.method.toLowerCase()];

/**
 * Validates with @seriousme/openapi-schema-validator (ESM only, hence a child process): the document
 * against the OpenAPI 3.1 JSON schema, and every $ref against the document.
 */
const validateWithOpenApiSchema = (candidate: unknown) => {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    process.stdout.write(JSON.stringify({ ...result, version: validator.version }));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    input: JSON.stringify(candidate),
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.status !== 0) throw new Error(`validator failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { valid: boolean; version: string; errors?: unknown };
};

describe('the OpenAPI registry', () => {
  it('documents every route of the manifest (register new routes in src/openapi/registry.ts)', () => {
    expect(undocumentedRoutes().map((route) => route.id)).toEqual([]);
  });

  it('documents no route the manifest does not have', () => {
    const ids = new Set(routes.map((route) => route.id));
    expect(Object.keys(ROUTE_DOCS).filter((id) => !ids.has(id))).toEqual([]);
  });

  it('declares no path parameter its path does not have', () => {
    const strays = routes.flatMap((route) => {
      const inPath = [...route.path.matchAll(/\{(\w+)\+?\}/g)].map((match) => match[1]);
      return Object.keys(docs[route.id]?.params ?? {})
        .filter((name) => !inPath.includes(name))
        .map((name) => `${route.id}: ${name}`);
    });
    expect(strays).toEqual([]);
  });

  it.each(
    Object.entries(ROUTE_DOCS).flatMap(([id, doc]) =>
      Object.entries((doc as RouteDoc).responses)
        .filter(([, response]) => response.schema && response.example !== undefined)
        .map(
          ([status, response]) =>
            [`${id} ${status}`, response.schema as z.ZodType, response.example] as const,
        ),
    ),
  )('the %s example matches its schema', (_name, schema, example) => {
    expect(schema.safeParse(example).error?.issues).toBeUndefined();
  });

  it.each(
    Object.entries(ROUTE_DOCS)
      .filter(([, doc]) => (doc as RouteDoc).body?.example !== undefined)
      .map(([id, doc]) => [id, (doc as RouteDoc).body as { schema: z.ZodType; example: unknown }] as const),
  )('the %s request example passes the handler schema', (_id, body) => {
    expect(body.schema.safeParse(body.example).error?.issues).toBeUndefined();
  });
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and valid against the OpenAPI 3.1 schema, every $ref resolving', () => {
    expect(document.openapi).toBe('3.1.0');
    const result = validateWithOpenApiSchema(document);
    expect(result.errors).toBeUndefined();
    expect(result).toMatchObject({ valid: true, version: '3.1' });
  });

  it('catches an invalid document (the validation above is not vacuous)', () => {
    const broken = structuredClone(document) as unknown as { paths: Record<string, Record<string, unknown>> };
    (broken.paths['/api/profile/'] as Record<string, Operation>).get = {
      ...((broken.paths['/api/profile/'] as Record<string, Operation>).get as Operation),
      responses: {
        200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } } },
      },
    };
    expect(validateWithOpenApiSchema(broken).valid).toBe(false);
  });

  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    'lists %s with its id, summary and path parameters',
    (_name, route) => {
      const operation = operationOf(route);
      expect(operation).toMatchObject({ operationId: route.id, summary: route.summary });
      const pathParameters = (operation?.parameters ?? []).filter((parameter) => parameter.in === 'path');
      expect(pathParameters.map((parameter) => parameter.name).sort()).toEqual(
        [...route.path.matchAll(/\{(\w+)\+?\}/g)].map((match) => match[1]).sort(),
      );
      expect(pathParameters.every((parameter) => parameter.required)).toBe(true);
    },
  );

  it('keeps the seed paths with their trailing slashes', () => {
    expect(Object.keys(document.paths ?? {})).toEqual(
      expect.arrayContaining(['/api/auth/register/', '/api/profile/', '/']),
    );
    expect(Object.keys(document.paths ?? {})).toHaveLength(new Set(routes.map((route) => route.path)).size);
  });

  it('asks for a bearer token and names the roles on every route with roles', () => {
    expect(document.components?.securitySchemes?.[BEARER_SCHEME]).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    for (const route of routes.filter((candidate) => candidate.access !== 'public')) {
      const operation = operationOf(route);
      expect(operation?.security).toEqual([{ [BEARER_SCHEME]: [] }]);
      expect(operation?.['x-roles']).toEqual([...route.access]);
      expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['401', '403']));
    }
  });

  it('asks for nothing on public routes', () => {
    for (const route of routes.filter((candidate) => candidate.access === 'public')) {
      const operation = operationOf(route);
      expect(operation?.security).toEqual([]);
      expect(operation?.['x-roles']).toBeUndefined();
      expect(operation?.responses['401']?.description ?? '').not.toMatch(/access token/);
    }
    expect(document.security).toBeUndefined();
  });

  it('documents the request body of every route whose handler parses one, as JSON', () => {
    for (const route of routes) {
      const body = docs[route.id]?.body;
      const operation = operationOf(route);
      if (!body) {
        expect(operation?.requestBody).toBeUndefined();
        continue;
      }
      expect(operation?.requestBody?.content['application/json']?.schema).toEqual({
        $ref: expect.stringMatching(/^#\/components\/schemas\//),
      });
      expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['400', '415']));
    }
  });

  it('gives every documented route a success response and the error shapes', () => {
    for (const route of routes.filter((candidate) => docs[candidate.id])) {
      const responses = operationOf(route)?.responses ?? {};
      expect(Object.keys(responses).some((status) => /^2\d\d$/.test(status))).toBe(true);
      expect(responses['500']?.content?.['application/json']?.schema).toEqual({
        $ref: '#/components/schemas/InternalError',
      });
    }
    expect(document.components?.schemas).toEqual(
      expect.objectContaining({ ValidationErrors: expect.anything(), Error: expect.anything() }),
    );
  });

  it('documents the Idempotency-Key header, with its 409 and 422, on exactly the routes that read it', () => {
    const reading = routes
      .filter((route) => readFileSync(join(REPO_ROOT, route.handler), 'utf8').includes('idempotencyKeyOf'))
      .map((route) => route.id);
    const documenting = routes
      .filter((route) =>
        (operationOf(route)?.parameters ?? []).some(
          (parameter) => parameter.in === 'header' && parameter.name === 'Idempotency-Key',
        ),
      )
      .map((route) => route.id);
    expect(reading).toEqual(['CreateAccount', 'CreateTransaction']);
    expect(documenting).toEqual(reading);
    for (const id of reading) {
      const operation = operationOf(routes.find((route) => route.id === id) as RouteDefinition);
      expect(operation?.parameters).toContainEqual(expect.objectContaining({ required: false }));
      expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['409', '422']));
    }
  });

  it('documents the KYC gate where an account is opened or money moves', () => {
    for (const id of ['CreateAccount', 'CreateTransaction'] as const) {
      expect(ROUTE_DOCS[id].responses[403]).toMatchObject({ example: { error: KYC_REQUIRED } });
    }
  });

  it('carries the seed examples', () => {
    const register = operationOf(routes.find((route) => route.id === 'RegisterUser') as RouteDefinition);
    expect(register?.requestBody?.content['application/json']?.example).toMatchObject({
      username: 'john_doe',
      ssn: '123-45-6789',
    });
    const createAccount = operationOf(
      routes.find((route) => route.id === 'CreateAccount') as RouteDefinition,
    );
    expect(createAccount?.requestBody?.content['application/json']?.example).toEqual({
      account_type: 'SAVINGS',
      minimum_balance: '100.00',
    });
    expect(ROUTE_DOCS.CreateTransaction.responses[201].example).toMatchObject({
      transaction_id: 'TXN12345ABC',
      fee: '1.00',
      from_account: { account_number: 'SAV123456789', balance: '900.00' },
    });
  });
});

describe('versions', () => {
  const versionOf = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;

  it('reports the package version', () => {
    expect(API_INFO.version).toBe(versionOf(join(REPO_ROOT, 'package.json')));
  });

  it('busts caches with the installed swagger-ui-dist version', () => {
    expect(SWAGGER_UI_VERSION).toBe(versionOf(require.resolve('swagger-ui-dist/package.json')));
  });
});
