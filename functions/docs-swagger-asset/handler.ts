import { routeById } from '@contract/routes';
import { NotFoundError } from '@domain/errors';
import { rawHandler } from '@kit/raw';
import { isSwaggerAsset, SWAGGER_DIST_FILES, swaggerAsset } from '@openapi/swagger';

/**
 * GET /api/docs/swagger/{asset}: Swagger UI's CSS and JavaScript. The page asks for the package's files with
 * its version in the query string, so they may be cached for a year; our initializer only briefly.
 */
export const handler = rawHandler({ route: routeById('SwaggerUiAsset') }, async ({ pathParameters }) => {
  const name = pathParameters.asset ?? '';
  if (!isSwaggerAsset(name)) throw new NotFoundError();
  const { body, contentType } = swaggerAsset(name);
  return {
    statusCode: 200,
    contentType,
    body,
    headers: {
      'Cache-Control': Object.hasOwn(SWAGGER_DIST_FILES, name)
        ? 'public, max-age=31536000, immutable'
        : 'public, max-age=300',
    },
  };
});
