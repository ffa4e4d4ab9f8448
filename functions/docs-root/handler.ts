import { routeById } from '@contract/routes';
import { apiBaseUrl, rawHandler } from '@kit/raw';
import { API_INFO } from '@openapi/info';

const route = routeById('ApiRoot');

/** GET /: what this API is and where its documentation lives, absolute links when the URL is known. */
export const handler = rawHandler({ route }, async ({ event }) => {
  const base = apiBaseUrl(event);
  // Without a known base, links relative to this root URL ("api/docs/swagger/") still resolve.
  const link = (path: string) => (base ? `${base}${path}` : path.slice(1) || './');
  return {
    statusCode: 200,
    contentType: 'application/json',
    body: JSON.stringify({
      name: API_INFO.name,
      version: API_INFO.version,
      description: API_INFO.description,
      links: {
        self: link('/'),
        docs: link(routeById('SwaggerUi').path),
        openapi: link(routeById('GetOpenApiDocument').path),
      },
    }),
  };
});
