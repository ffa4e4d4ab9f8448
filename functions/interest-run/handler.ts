import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { ScheduledEvent } from 'aws-lambda';
import { runInterest } from '@domain/ledger/interest';
import { logger } from '@kit/logger';
import { ledger } from '@services/ledger';

const accounts = ledger();

/**
 * The daily interest job (EventBridge schedule). The day is the event's time (UTC); a manual run may pass
 * `{ "day": "YYYY-MM-DD" }` instead.
 */
export const handler = middy<ScheduledEvent | { day: string }>()
  .use(injectLambdaContext(logger, { logEvent: false }))
  .handler(async (event) => {
    const day =
      'day' in event && /^\d{4}-\d{2}-\d{2}$/.test(event.day)
        ? event.day
        : new Date('time' in event ? event.time : Date.now()).toISOString().slice(0, 10);
    const result = await runInterest(accounts, day);
    logger.info('Interest run', { ...result });
    return result;
  });
