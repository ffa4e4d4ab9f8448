import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger for every function. Nothing logs request or response bodies, headers or
 * tokens: callers pass only ids, counts and error names, so no PII or secret reaches the logs.
 */
export const logger = new Logger({ serviceName: 'core-banking' });

/** What may be logged about an unexpected error: its class and where it happened, never its message. */
export const describeError = (error: unknown): { errorName: string; frames?: string } => {
  if (!(error instanceof Error)) return { errorName: typeof error };
  const frames = error.stack?.split('\n').slice(1, 6).join('\n');
  return { errorName: error.name, ...(frames ? { frames } : {}) };
};
