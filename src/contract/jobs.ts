import type { FunctionDefinition } from './routes';

/** Scheduled jobs: an EventBridge rule per job in AWS, one command each locally. */
export interface ScheduledJob extends FunctionDefinition {
  /** EventBridge schedule expression (UTC). */
  readonly schedule: string;
}

export const SCHEDULED_JOBS = [
  {
    id: 'InterestRun',
    handler: 'functions/interest-run/handler.ts',
    capabilities: ['table:read', 'table:write'],
    summary: 'Accrues daily interest on interest-bearing accounts; on the 1st, posts last month',
    // Five past midnight UTC, every day.
    schedule: 'cron(5 0 * * ? *)',
  },
] as const satisfies readonly ScheduledJob[];
