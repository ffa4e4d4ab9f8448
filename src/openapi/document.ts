import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { ACCESS_TOKEN_SCOPE, TOKEN_VALIDITY } from '@contract/auth';
import { ROUTES, type RouteDefinition } from '@contract/routes';
import { API_INFO } from './info';
import { ROUTE_DOCS, TAGS, type ResponseDoc, type RouteDoc } from './registry';
import { ErrorBody, InternalError, PAGE_QUERY_DESCRIPTIONS, ValidationErrors } from './schemas/common';

/*
 * The OpenAPI 3.1 document, generated: paths, methods, access and summaries come from the route manifest,
 * bodies from the handlers' own zod schemas and the response schemas of ./registry.ts. Nothing here is
 * written per route.
 */

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export const BEARER_SCHEME = 'bearerAuth';

/** Manifest routes without a registry entry (the unit test fails on any; the document still lists them). */
export const undocumentedRoutes = (): RouteDefinition[] =>
  (ROUTES as readonly RouteDefinition[]).filter((route) => !Object.hasOwn(ROUTE_DOCS, route.id));

const docOf = (route: RouteDefinition): RouteDoc | undefined =>
  (ROUTE_DOCS as Partial<Record<string, RouteDoc>>)[route.id];

/**
 * zod copies `.openapi()` onto schemas created after extendZodWithOpenApi only, and the handlers' schemas
 * exist before this module runs. Called through the prototype, `.openapi()` returns a copy that has it, with
 * the original's metadata plus `metadata` (or registered as the component `refId`). The original is untouched.
 */
const openapi = (schema: z.core.$ZodType, ...args: [string] | [string, object] | [object]): z.ZodType =>
  (z.ZodType.prototype as unknown as { openapi: (...a: unknown[]) => z.ZodType }).openapi.call(
    schema,
    ...args,
  );

const parametersOf = (shape: z.ZodRawShape, descriptions: Record<string, string> = {}) =>
  z.object(
    Object.fromEntries(
      Object.entries(shape).map(([name, schema]) => {
        const description = descriptions[name];
        const known = z.globalRegistry.get(schema)?.description;
        return [name, openapi(schema, description && !known ? { description } : {})];
      }),
    ),
  );

const pathParameterNames = (path: string): string[] =>
  [...path.matchAll(/\{([A-Za-z0-9_]+)\+?\}/g)].map((match) => match[1] as string);

const content = (doc: ResponseDoc): ResponseConfig['content'] => {
  if (doc.contentType) return { [doc.contentType]: { schema: { type: 'string' } } };
  if (!doc.schema) return undefined;
  return {
    'application/json': {
      schema: doc.schema,
      ...(doc.example === undefined ? {} : { example: doc.example }),
    },
  };
};

const response = (doc: ResponseDoc): ResponseConfig => ({
  description: doc.description,
  content: content(doc),
  ...(doc.headers
    ? {
        headers: Object.fromEntries(
          Object.entries(doc.headers).map(([name, description]) => [
            name,
            { description, schema: { type: 'string' } },
          ]),
        ),
      }
    : {}),
});

/** What the kit and API Gateway answer on every route of a kind; a registry entry may override any. */
const commonResponses = (route: RouteDefinition, doc: RouteDoc | undefined): Record<number, ResponseDoc> => {
  const common: Record<number, ResponseDoc> = {};
  if (doc?.body || doc?.query) {
    common[400] = { description: 'Invalid input, each offending field named', schema: ValidationErrors };
  }
  if (route.access !== 'public') {
    common[401] = {
      description: 'No access token, or an invalid or expired one',
      schema: ErrorBody,
      example: { error: 'Authentication credentials were not provided.' },
    };
    common[403] = {
      description: `The caller is not in ${route.access.join(' or ')}`,
      schema: ErrorBody,
      example: { error: 'You do not have permission to perform this action.' },
    };
  }
  if (doc?.body) {
    common[415] = {
      description: 'The body is not sent as application/json',
      schema: ErrorBody,
      example: { error: 'Unsupported media type: send the body as application/json.' },
    };
  }
  common[429] = {
    description: 'Throttled by the API stage or the firewall',
    schema: ErrorBody,
    example: { error: 'Request was throttled.' },
  };
  common[500] = { description: 'Unexpected failure; quote the request id', schema: InternalError };
  return common;
};

const accessNote = (route: RouteDefinition): string =>
  route.access === 'public'
    ? '**Public**: no token needed.'
    : `**Roles**: ${route.access.join(', ')} (bearer access token).`;

const operationOf = (route: RouteDefinition): RouteConfig => {
  const doc = docOf(route);
  const declared = doc?.params ?? {};
  const params = Object.fromEntries(
    pathParameterNames(route.path).map((name) => [name, declared[name] ?? z.string()]),
  );
  const responses = { ...commonResponses(route, doc), ...doc?.responses };
  return {
    method: route.method.toLowerCase() as RouteConfig['method'],
    path: route.path,
    operationId: route.id,
    summary: route.summary,
    description: [doc?.description, accessNote(route)].filter(Boolean).join('\n\n'),
    tags: [doc?.tag ?? 'Undocumented'],
    ...(route.access === 'public'
      ? { security: [] }
      : { security: [{ [BEARER_SCHEME]: [] }], 'x-roles': [...route.access] }),
    ...(doc ? {} : { 'x-undocumented': true }),
    request: {
      ...(Object.keys(params).length > 0 ? { params: parametersOf(params) } : {}),
      ...(doc?.query
        ? { query: parametersOf(doc.query, { ...PAGE_QUERY_DESCRIPTIONS, ...doc.queryDescriptions }) }
        : {}),
      ...(doc?.headers ? { headers: parametersOf(doc.headers) } : {}),
      ...(doc?.body
        ? {
            body: {
              required: true,
              content: {
                'application/json': {
                  schema: openapi(doc.body.schema, `${route.id}Request`),
                  ...(doc.body.example === undefined ? {} : { example: doc.body.example }),
                },
              },
            },
          }
        : {}),
    },
    responses: Object.fromEntries(
      Object.entries(responses)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([status, responseDoc]) => [status, response(responseDoc)]),
    ),
  };
};

/** Builds the whole document from the manifest and the registry. */
export const buildOpenApiDocument = (): OpenApiDocument => {
  extendZodWithOpenApi(z);
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      `The \`access\` token from POST /api/auth/login/ (a Cognito access token with scope ` +
      `\`${ACCESS_TOKEN_SCOPE}\`), valid ${TOKEN_VALIDITY.accessTokenMinutes} minutes. Each operation ` +
      'lists the roles (Cognito groups) it admits under `x-roles`.',
  });
  for (const route of ROUTES as readonly RouteDefinition[]) registry.registerPath(operationOf(route));

  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: API_INFO.name, version: API_INFO.version, description: API_INFO.description },
    // Relative to the document (.../api/openapi.json): the API root, whatever the stage or base path.
    servers: [{ url: '..', description: 'This API' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
  });
  // Nothing uses webhooks; an empty object only clutters the UI.
  delete (document as { webhooks?: unknown }).webhooks;
  return document;
};

let built: OpenApiDocument | undefined;

/** The document, built once per process (Lambda container). */
export const openApiDocument = (): OpenApiDocument => (built ??= buildOpenApiDocument());
