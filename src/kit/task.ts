import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { describeError, logger } from './logger';
import { parseOrThrow } from './validation';

/**
 * The middy chain of a workflow task function: the state input validated with zod, structured logs, and
 * errors rethrown (so the state machine's Retry and Catch see them) after logging their class only.
 */
export function taskHandler<S extends z.ZodType, R>(
  options: { id: string; input: S },
  fn: (input: z.infer<S>) => Promise<R>,
): (event: unknown, context: Context) => Promise<R> {
  return middy<unknown, R>()
    .use(injectLambdaContext(logger, { logEvent: false }))
    .use({
      onError: async (request) => {
        logger.error('Task failed', { task: options.id, ...describeError(request.error) });
      },
    })
    .handler(async (event: unknown) => fn(parseOrThrow(options.input, event)));
}
