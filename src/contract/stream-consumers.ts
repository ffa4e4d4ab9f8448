import type { FunctionDefinition } from './routes';

/**
 * Consumers of the table's stream (the outbox), declared once: the API/stream stack turns each into a
 * Lambda event source mapping, and the local runtime's stream poller behaves like that mapping (batches,
 * filters, retries, bisection, partial batch responses, the dead-letter queue).
 */
export interface StreamConsumer extends FunctionDefinition {
  /** Records per invocation. */
  readonly batchSize: number;
  /** How long to gather a batch before invoking with fewer records. */
  readonly maxBatchingWindowSeconds: number;
  /** Retries of a failing batch (after bisection) before its records go to the dead-letter queue. */
  readonly retryAttempts: number;
  readonly bisectBatchOnError: boolean;
  /** Lambda event filter patterns (FilterCriteria): a record is delivered when ANY pattern matches. */
  readonly filterPatterns: readonly Record<string, unknown>[];
}

export const STREAM_CONSUMERS = [
  {
    id: 'FraudScoring',
    handler: 'functions/stream-fraud/handler.ts',
    capabilities: ['table:read', 'table:write', 'notifications:send'],
    summary: 'Scores every new transaction; raises alerts, places holds, raises risk profiles',
    // Small batches and no waiting: a score should follow its transaction within seconds.
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    retryAttempts: 3,
    bisectBatchOnError: true,
    filterPatterns: [{ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['Transaction'] } } } }],
  },
  {
    id: 'AuditTrail',
    handler: 'functions/stream-audit/handler.ts',
    // Reads anything (actors), writes nothing but the trail's own AUDIT# items.
    capabilities: ['table:read', 'audit:append'],
    summary: 'Turns every change in the table into an append-only, hash-chained audit record',
    // Larger batches, a short window: audit records are written in order, cheaply, not instantly.
    batchSize: 50,
    maxBatchingWindowSeconds: 1,
    retryAttempts: 5,
    bisectBatchOnError: true,
    // Every change except the audit trail's own records and high-churn counters (no feedback loop).
    filterPatterns: [
      {
        dynamodb: {
          Keys: { PK: { S: [{ 'anything-but': { prefix: 'AUDIT#' } }] } },
        },
      },
    ],
  },
] as const satisfies readonly StreamConsumer[];

export type StreamConsumerId = (typeof STREAM_CONSUMERS)[number]['id'];
