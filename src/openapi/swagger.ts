import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { routeById } from '@contract/routes';

/*
 * Swagger UI, served by the API itself so it works offline and needs no CDN: the page, a small initializer
 * of our own and two files of the swagger-ui-dist package. No zod or OpenAPI code here: the CDK app reads
 * this module to copy the files into the asset function's bundle.
 */

/** The swagger-ui-dist version the asset URLs carry (cache busting); a unit test keeps it installed. */
export const SWAGGER_UI_VERSION = '5.35.0';

/** Files copied verbatim from swagger-ui-dist, with their media types. */
export const SWAGGER_DIST_FILES = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} as const;

const INITIALIZER = 'swagger-initializer.js';

export const SWAGGER_ASSET_NAMES = [
  ...(Object.keys(SWAGGER_DIST_FILES) as (keyof typeof SWAGGER_DIST_FILES)[]),
  INITIALIZER,
] as const;
export type SwaggerAssetName = (typeof SWAGGER_ASSET_NAMES)[number];

/** Where the CDK app copies SWAGGER_DIST_FILES inside the function bundle (next to index.js). */
export const BUNDLED_ASSET_DIR = 'swagger-ui';

/** Strict: scripts and styles from this API only (Swagger UI sets inline styles, hence 'unsafe-inline'). */
export const SWAGGER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The document's URL relative to the Swagger UI page, so the page works under any stage or base path. */
export const openApiUrlFromPage = (): string =>
  posix.relative(routeById('SwaggerUi').path, routeById('GetOpenApiDocument').path);

const versioned = (name: SwaggerAssetName) => `${name}?v=${SWAGGER_UI_VERSION}`;

/** The page at /api/docs/swagger/: asset URLs are relative to it (the route ends with a slash). */
export const swaggerPage = (title: string): string => `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title.replace(/[<>&"]/g, '')} - Swagger UI</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${versioned('swagger-ui.css')}" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${versioned('swagger-ui-bundle.js')}" charset="utf-8"></script>
    <script src="${versioned(INITIALIZER)}" charset="utf-8"></script>
  </body>
</html>
`;

/** Our initializer: no external validator, no token persistence in localStorage, no CDN. */
const initializerScript = (): string => `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(openApiUrlFromPage())},
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    validatorUrl: null,
    persistAuthorization: false,
    displayRequestDuration: true,
    docExpansion: 'list',
  });
});
`;

export const isSwaggerAsset = (name: string): name is SwaggerAssetName =>
  (SWAGGER_ASSET_NAMES as readonly string[]).includes(name);

/**
 * In the Lambda bundle the files sit next to index.js; locally (tsx, jest) they come from node_modules.
 * (createRequire keeps esbuild from trying to bundle a package this function only reads files of.)
 */
const distDirectory = (): string => {
  const bundled = join(__dirname, BUNDLED_ASSET_DIR);
  if (existsSync(bundled)) return bundled;
  return dirname(createRequire(__filename).resolve('swagger-ui-dist/package.json'));
};

const cache = new Map<SwaggerAssetName, { body: string; contentType: string }>();

/** An asset's body and media type, read once per container. */
export const swaggerAsset = (name: SwaggerAssetName): { body: string; contentType: string } => {
  let asset = cache.get(name);
  if (!asset) {
    asset =
      name === INITIALIZER
        ? { body: initializerScript(), contentType: 'text/javascript; charset=utf-8' }
        : { body: readFileSync(join(distDirectory(), name), 'utf8'), contentType: SWAGGER_DIST_FILES[name] };
    cache.set(name, asset);
  }
  return asset;
};
