import { routeById } from '@contract/routes';
import { rawHandler, type RawResult } from '@kit/raw';
import { API_INFO } from '@openapi/info';
import { SWAGGER_CSP, swaggerPage } from '@openapi/swagger';

const route = routeById('SwaggerUi');
const page = swaggerPage(API_INFO.name);
const lastSegment = route.path.replace(/\/$/, '').split('/').pop() ?? '';

/** GET /api/docs/swagger/: the Swagger UI page; its asset and document URLs are relative to it. */
export const handler = rawHandler({ route }, async ({ event }): Promise<RawResult> => {
  // Without the trailing slash the relative URLs would miss one level: send the browser to the slash.
  // A relative Location works under any stage prefix or base path.
  if (!event.path.endsWith('/')) {
    return {
      statusCode: 301,
      contentType: 'text/plain; charset=utf-8',
      body: '',
      headers: { Location: `${lastSegment}/` },
    };
  }
  return {
    statusCode: 200,
    contentType: 'text/html; charset=utf-8',
    body: page,
    headers: { 'Content-Security-Policy': SWAGGER_CSP, 'Cache-Control': 'public, max-age=300' },
  };
});
