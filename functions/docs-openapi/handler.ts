import { routeById } from '@contract/routes';
import { apiBaseUrl, rawHandler } from '@kit/raw';
import { openApiDocument } from '@openapi/document';

// Built at cold start: the document depends on the code only.
const document = openApiDocument();

/**
 * GET /api/openapi.json. The server is the URL the client used when the host is known (so code generators
 * reading the file get an absolute URL), else the document's relative default.
 */
export const handler = rawHandler({ route: routeById('GetOpenApiDocument') }, async ({ event }) => {
  const base = apiBaseUrl(event);
  const served = base ? { ...document, servers: [{ url: base, description: 'This API' }] } : document;
  return {
    statusCode: 200,
    contentType: 'application/json',
    body: JSON.stringify(served),
    headers: { 'Cache-Control': 'public, max-age=300' },
  };
});
