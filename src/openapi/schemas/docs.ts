import * as z from 'zod';

/** GET / (functions/docs-root/handler.ts). */
export const ApiRoot = z
  .strictObject({
    name: z.string(),
    version: z.string(),
    description: z.string(),
    links: z.strictObject({
      self: z.string(),
      docs: z.string().meta({ description: 'Swagger UI' }),
      openapi: z.string().meta({ description: 'This OpenAPI document' }),
    }),
  })
  .meta({ id: 'ApiRoot' });
