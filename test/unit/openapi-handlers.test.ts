import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { RouteDefinition } from '@contract/routes';
import { handler as openApi } from '@functions/docs-openapi/handler';
import { handler as root } from '@functions/docs-root/handler';
import { handler as swaggerAsset } from '@functions/docs-swagger-asset/handler';
import { handler as swaggerUi } from '@functions/docs-swagger/handler';
import { apiBaseUrl, rawHandler } from '@kit/raw';
import { ApiRoot } from '@openapi/schemas/docs';
import { apiEvent, lambdaContext } from '@test/events';

/** A GET as API Gateway passes it on the execute-api host of stage `dev`. */
const get = (path: string, overrides: { pathParameters?: Record<string, string>; host?: string } = {}) => {
  const event = apiEvent({
    method: 'GET',
    path,
    headers: {
      Host: overrides.host ?? 'abc123.execute-api.eu-west-1.amazonaws.com',
      'X-Forwarded-Proto': 'https',
    },
    pathParameters: overrides.pathParameters,
  });
  event.body = null;
  event.requestContext.stage = 'dev';
  event.requestContext.path = `/dev${path}`;
  return event;
};

describe('GET /', () => {
  it('names the API and links to the docs under the stage', async () => {
    const result = await root(get('/'), lambdaContext());

    expect(result.statusCode).toBe(200);
    expect(result.headers?.['Content-Type']).toBe('application/json');
    const body = JSON.parse(result.body) as unknown;
    expect(ApiRoot.safeParse(body).error?.issues).toBeUndefined();
    expect(body).toMatchObject({
      name: 'Core Banking API',
      links: {
        self: 'https://abc123.execute-api.eu-west-1.amazonaws.com/dev/',
        docs: 'https://abc123.execute-api.eu-west-1.amazonaws.com/dev/api/docs/swagger/',
        openapi: 'https://abc123.execute-api.eu-west-1.amazonaws.com/dev/api/openapi.json',
      },
    });
  });
});

describe('apiBaseUrl', () => {
  const at = (host: string, stage: string, requestPath: string, path: string): APIGatewayProxyEvent => {
    const event = get(path, { host });
    event.requestContext.stage = stage;
    event.requestContext.path = requestPath;
    return event;
  };

  it.each([
    [
      'the execute-api host with its stage',
      at('a.execute-api.us-east-1.amazonaws.com', 'dev', '/dev/api/x/', '/api/x/'),
      'https://a.execute-api.us-east-1.amazonaws.com/dev',
    ],
    [
      'a custom domain with a base path',
      at('api.bank.example', 'prod', '/v1/api/x/', '/api/x/'),
      'https://api.bank.example/v1',
    ],
    [
      'a custom domain at its root',
      at('api.bank.example', 'prod', '/api/x/', '/api/x/'),
      'https://api.bank.example',
    ],
    [
      'the local runtime (no stage in its URLs)',
      at('127.0.0.1:3000', 'local', '/local/api/x/', '/api/x/'),
      'https://127.0.0.1:3000',
    ],
  ])('%s', (_name, event, expected) => {
    expect(apiBaseUrl(event)).toBe(expected);
  });
});

describe('GET /api/openapi.json', () => {
  it('serves the document with the URL the client used as its server', async () => {
    const result = await openApi(get('/api/openapi.json'), lambdaContext());

    expect(result.statusCode).toBe(200);
    const document = JSON.parse(result.body) as {
      openapi: string;
      servers: { url: string }[];
      paths: object;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([
      { url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/dev', description: 'This API' },
    ]);
    expect(Object.keys(document.paths)).toContain('/api/auth/register/');
  });
});

describe('GET /api/docs/swagger/', () => {
  it('serves the Swagger UI page with relative, versioned assets and a strict CSP', async () => {
    const result = await swaggerUi(get('/api/docs/swagger/'), lambdaContext());

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({
      'Content-Type': 'text/html; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': expect.stringContaining("script-src 'self'"),
    });
    expect(result.body).toContain('<div id="swagger-ui"></div>');
    expect(result.body).toMatch(/href="swagger-ui\.css\?v=\d+\.\d+\.\d+"/);
    expect(result.body).toMatch(/src="swagger-ui-bundle\.js\?v=/);
    expect(result.body).not.toMatch(/https?:\/\//);
  });

  it('sends a browser that left out the trailing slash to it', async () => {
    const result = await swaggerUi(get('/api/docs/swagger'), lambdaContext());

    expect(result.statusCode).toBe(301);
    expect(result.headers?.Location).toBe('swagger/');
  });
});

describe('GET /api/docs/swagger/{asset}', () => {
  const asset = (name: string) =>
    swaggerAsset(get(`/api/docs/swagger/${name}`, { pathParameters: { asset: name } }), lambdaContext());

  it('serves the swagger-ui-dist files with their types, cached for long', async () => {
    const css = await asset('swagger-ui.css');
    const js = await asset('swagger-ui-bundle.js');

    expect(css.statusCode).toBe(200);
    expect(css.headers).toMatchObject({
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'public, max-age=31536000, immutable',
    });
    expect(css.body).toContain('.swagger-ui');
    expect(js.headers?.['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toContain('SwaggerUIBundle');
  });

  it('points the initializer at the document, relative to the page', async () => {
    const init = await asset('swagger-initializer.js');

    expect(init.statusCode).toBe(200);
    expect(init.body).toContain('url: "../../openapi.json"');
    expect(init.body).toContain('validatorUrl: null');
  });

  it.each(['index.html', '..%2Fpackage.json', 'swagger-ui.js'])('answers 404 for %s', async (name) => {
    const result = await asset(name);

    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body)).toEqual({ error: 'Not found.' });
  });
});

describe('without Host and X-Forwarded-Proto', () => {
  it('links relative to the API root, and the document keeps its relative server', async () => {
    const event = get('/');
    event.headers = {};
    event.multiValueHeaders = {};
    const answer = JSON.parse((await root(event, lambdaContext())).body) as { links: object };
    expect(answer.links).toEqual({ self: './', docs: 'api/docs/swagger/', openapi: 'api/openapi.json' });

    const docEvent = get('/api/openapi.json');
    docEvent.headers = {};
    docEvent.multiValueHeaders = {};
    const document = JSON.parse((await openApi(docEvent, lambdaContext())).body) as { servers: object[] };
    expect(document.servers).toEqual([{ url: '..', description: 'This API' }]);
  });
});

describe('rawHandler (the kit chain the docs routes use)', () => {
  const adminRoute: RouteDefinition = {
    id: 'RawProbe',
    method: 'GET',
    path: '/api/raw/',
    handler: 'functions/raw/handler.ts',
    access: ['BANK_ADMIN'],
    capabilities: [],
    summary: 'test',
  };
  const run = jest.fn(async () => ({ statusCode: 200, contentType: 'text/plain', body: 'ok' }));
  const probe = rawHandler({ route: adminRoute }, run);
  const event = (groups?: ('BANK_ADMIN' | 'CUSTOMER')[]) =>
    apiEvent({ method: 'GET', path: '/api/raw/', ...(groups ? { caller: { sub: 's1', groups } } : {}) });

  beforeEach(() => run.mockClear());

  it('checks the manifest groups like httpHandler: 401, 403, then the handler', async () => {
    const anonymous = await probe(event(), lambdaContext());
    const customer = await probe(event(['CUSTOMER']), lambdaContext());
    const admin = await probe(event(['BANK_ADMIN']), lambdaContext());

    expect([anonymous.statusCode, customer.statusCode, admin.statusCode]).toEqual([401, 403, 200]);
    expect(JSON.parse(customer.body)).toEqual({
      error: 'You do not have permission to perform this action.',
    });
    expect(run).toHaveBeenCalledTimes(1);
    expect(admin).toMatchObject({
      body: 'ok',
      headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' },
    });
  });

  it('answers an unexpected failure with the opaque 500', async () => {
    run.mockRejectedValueOnce(new Error('disk on fire'));

    const result = await probe(event(['BANK_ADMIN']), lambdaContext());

    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body)).toEqual({
      error: 'Internal server error.',
      request_id: expect.any(String),
    });
    expect(result.body).not.toContain('disk');
  });
});
