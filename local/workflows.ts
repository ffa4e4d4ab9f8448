import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DEFAULT_KYC_SETTINGS,
  KYC_WORKFLOW_TASKS,
  kycExecutionName,
  kycReviewDefinition,
  type KycTaskId,
  type KycWorkflowSettings,
} from '@contract/kyc-workflow';
import type { LocalFunction, LocalStepFunctions, StateMachineSpec } from './emulators/stepfunctions';
import { LOCAL_REGION } from './emulators/support';
import { LOCAL_ACCOUNT_ID } from './lambda';

/*
 * The KYC review workflow as the local runtime runs it: the contract's ONE definition, with local Lambda
 * ARNs that the local Step Functions maps back to the task handler modules.
 */

export const LOCAL_NAME_PREFIX = 'core-banking-local';

export const KYC_STATE_MACHINE_NAME = `${LOCAL_NAME_PREFIX}-kyc-review`;
export const LOCAL_KYC_STATE_MACHINE_ARN = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stateMachine:${KYC_STATE_MACHINE_NAME}`;

export const localFunctionArn = (id: string) =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${LOCAL_NAME_PREFIX}-${id}`;

/** The longest timer Node keeps (setTimeout): about 24.8 days. Longer ones fire at once. */
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Settings from flags/env over the defaults; refuses values the local timers cannot honour. */
export const resolveKycSettings = (overrides: Partial<KycWorkflowSettings> = {}): KycWorkflowSettings => {
  const settings = { ...DEFAULT_KYC_SETTINGS, ...overrides };
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${name} must be a whole number of seconds >= 1`);
  }
  // The definition's overall TimeoutSeconds is the sum plus an hour: every timer must fit in Node's range.
  const total = settings.decisionTimeoutSeconds + settings.escalationTimeoutSeconds + 3600;
  if (total > MAX_TIMER_SECONDS) {
    throw new Error(
      `KYC timeouts too long for the local runtime: decision + escalation + 3600 s must be <= ${MAX_TIMER_SECONDS} s (about 24.8 days)`,
    );
  }
  return settings;
};

/** The state machine spec for the local Step Functions: definition + function ARN -> handler module. */
export const kycStateMachine = (
  settings: KycWorkflowSettings,
  tasks: readonly LocalFunction[] = KYC_WORKFLOW_TASKS,
): StateMachineSpec => {
  const arns = Object.fromEntries(KYC_WORKFLOW_TASKS.map((task) => [task.id, localFunctionArn(task.id)]));
  const byId = new Map(tasks.map((task) => [task.id, task]));
  return {
    arn: LOCAL_KYC_STATE_MACHINE_ARN,
    definition: kycReviewDefinition(arns as Record<KycTaskId, string>, settings),
    functions: Object.fromEntries(
      KYC_WORKFLOW_TASKS.map((task) => [localFunctionArn(task.id), byId.get(task.id) ?? task]),
    ),
  };
};

export interface ResumeReport {
  outcome: 'resumed' | 'skipped' | 'failed';
  open: number;
  started: number;
  note?: string;
}

/**
 * Executions live in memory: after a restart, every open case (still waiting for a decision) gets its
 * execution again. The tasks are idempotent, so re-running pre-checks and notifications does no harm.
 * Needs the runtime env applied first (the service builds its SDK clients when imported).
 */
export const resumeOpenKycCases = async (
  engine: Pick<LocalStepFunctions, 'startExecution'>,
  repoRoot: string,
): Promise<ResumeReport> => {
  const file = resolve(repoRoot, 'src/services/kyc-cases.ts');
  if (!existsSync(file)) {
    return { outcome: 'skipped', open: 0, started: 0, note: 'src/services/kyc-cases.ts does not exist yet' };
  }
  let cases: { userId: number }[];
  try {
    const module = (await import(file)) as { listOpenKycCases?: () => Promise<{ userId: number }[]> };
    if (typeof module.listOpenKycCases !== 'function') {
      return { outcome: 'skipped', open: 0, started: 0, note: 'kyc-cases.ts exports no listOpenKycCases' };
    }
    cases = await module.listOpenKycCases();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { outcome: 'failed', open: 0, started: 0, note: `listing open KYC cases failed: ${reason}` };
  }
  let started = 0;
  const failures: string[] = [];
  for (const { userId } of cases) {
    try {
      await engine.startExecution({
        stateMachineArn: LOCAL_KYC_STATE_MACHINE_ARN,
        name: kycExecutionName(userId),
        input: JSON.stringify({ userId }),
      });
      started += 1;
    } catch (error) {
      failures.push(`${userId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return {
    outcome: failures.length ? 'failed' : 'resumed',
    open: cases.length,
    started,
    ...(failures.length ? { note: `not resumed: ${failures.join('; ')}` } : {}),
  };
};
