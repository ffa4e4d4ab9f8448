import { AwsSolutionsChecks } from 'cdk-nag';
import { ROUTES, type RouteDefinition } from '@contract/routes';
import { ALLOWED_ORIGINS_ENV, parseAllowedOrigins } from '@lib/config';
import { resourcesOf, synthesize } from './support';

/*
 * CORS comes only from `cdk deploy -c allowedOrigins=<origin>[,<origin>...]`: preflight methods on every
 * resource with exactly those origins, the manifest's methods and the three request headers; nothing at all
 * without it.
 */

const ORIGIN = 'https://console.bank.example';
const routes: readonly RouteDefinition[] = ROUTES;
const manifestMethods = [...new Set(routes.map((route) => route.method))].sort();

type Resources = ReturnType<typeof resourcesOf>;

const optionsMethods = (methods: Resources) =>
  Object.values(methods).filter((method) => method.Properties?.HttpMethod === 'OPTIONS');

/** The headers an OPTIONS method's mock integration answers with. */
const preflightHeaders = (method: Resources[string]): Record<string, string> => {
  const integration = method.Properties?.Integration as {
    Type: string;
    IntegrationResponses: { ResponseParameters: Record<string, string> }[];
  };
  expect(integration.Type).toBe('MOCK');
  const parameters = integration.IntegrationResponses[0]?.ResponseParameters ?? {};
  return Object.fromEntries(
    Object.entries(parameters).map(([name, value]) => [
      name.replace('method.response.header.', ''),
      value.replace(/^'|'$/g, ''),
    ]),
  );
};

describe('CORS with -c allowedOrigins=<one origin>', () => {
  const { api, stacks } = synthesize('dev', { allowedOrigins: ORIGIN });
  const methods = resourcesOf(api, 'AWS::ApiGateway::Method');
  const preflights = optionsMethods(methods);

  it('answers OPTIONS on every resource that has a route, without authorization', () => {
    const resourcesWithRoutes = new Set(
      Object.values(methods)
        .filter((method) => method.Properties?.HttpMethod !== 'OPTIONS')
        .map((method) => JSON.stringify(method.Properties?.ResourceId)),
    );
    const resourcesWithPreflight = new Set(
      preflights.map((method) => JSON.stringify(method.Properties?.ResourceId)),
    );
    for (const resource of resourcesWithRoutes) expect(resourcesWithPreflight).toContain(resource);
    for (const method of preflights) expect(method.Properties?.AuthorizationType).toBe('NONE');
  });

  it('allows exactly that origin, the manifest methods and Authorization, Content-Type, Idempotency-Key', () => {
    expect(preflights.length).toBeGreaterThan(0);
    for (const method of preflights) {
      const headers = preflightHeaders(method);
      expect(headers['Access-Control-Allow-Origin']).toBe(ORIGIN);
      expect(headers['Access-Control-Allow-Methods']?.split(',').sort()).toEqual(manifestMethods);
      expect(headers['Access-Control-Allow-Headers']?.split(',')).toEqual([
        'Authorization',
        'Content-Type',
        'Idempotency-Key',
      ]);
    }
  });

  it("puts the origin on the gateway's own answers (401, 403, 429, 4XX, 5XX)", () => {
    const responses = Object.values(resourcesOf(api, 'AWS::ApiGateway::GatewayResponse'));
    expect(responses).toHaveLength(5);
    for (const response of responses) {
      expect(response.Properties?.ResponseParameters).toEqual({
        'gatewayresponse.header.Access-Control-Allow-Origin': `'${ORIGIN}'`,
      });
    }
  });

  it('tells every route function the allowed origins (their proxy answers need the header too)', () => {
    const functions = Object.values(resourcesOf(api, 'AWS::Lambda::Function'));
    expect(functions).toHaveLength(routes.length);
    for (const fn of functions) {
      const variables = (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables[ALLOWED_ORIGINS_ENV]).toBe(ORIGIN);
    }
  });

  it('leaves cdk-nag with nothing unacknowledged (the preflights are public by specification)', () => {
    const violations = new AwsSolutionsChecks().validateScope(stacks.api).violations;
    expect(violations.map((violation) => violation.ruleName)).toEqual([]);
  });
});

describe('CORS with several origins', () => {
  const second = 'http://localhost:5173';
  const { api } = synthesize('dev', { allowedOrigins: `${ORIGIN}, ${second}` });

  it('answers the preflight for each of them, and for no other', () => {
    const preflights = optionsMethods(resourcesOf(api, 'AWS::ApiGateway::Method'));
    expect(preflights.length).toBeGreaterThan(0);
    for (const method of preflights) {
      // The first origin is the header's default; the response template echoes the others when they match.
      expect(preflightHeaders(method)['Access-Control-Allow-Origin']).toBe(ORIGIN);
      const template = JSON.stringify(method.Properties?.Integration);
      expect(template).toContain(second);
      expect(template).toContain('Vary');
    }
  });

  it("leaves the gateway's own answers without the header (one fixed value cannot name two origins)", () => {
    for (const response of Object.values(resourcesOf(api, 'AWS::ApiGateway::GatewayResponse'))) {
      expect(response.Properties?.ResponseParameters).toBeUndefined();
    }
  });
});

describe('CORS without allowedOrigins (the default)', () => {
  const { api } = synthesize('dev');

  it('has no OPTIONS method, no CORS header and no origins for the functions', () => {
    expect(optionsMethods(resourcesOf(api, 'AWS::ApiGateway::Method'))).toEqual([]);
    expect(JSON.stringify(api.toJSON())).not.toContain('Access-Control-Allow');
    expect(JSON.stringify(api.toJSON())).not.toContain(ALLOWED_ORIGINS_ENV);
  });
});

describe('parseAllowedOrigins', () => {
  it('splits, trims and de-duplicates', () => {
    expect(parseAllowedOrigins(' https://a.example , http://localhost:5173,https://a.example,')).toEqual([
      'https://a.example',
      'http://localhost:5173',
    ]);
    expect(parseAllowedOrigins('')).toEqual([]);
  });

  it.each(['*', 'https://a.example/', 'https://a.example/app', 'a.example', 'ftp://a.example'])(
    'refuses %s with a clear message',
    (origin) => {
      expect(() => parseAllowedOrigins(origin)).toThrow(/allowedOrigins: .* is not an origin/);
    },
  );
});
