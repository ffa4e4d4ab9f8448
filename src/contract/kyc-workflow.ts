import type { FunctionDefinition } from './routes';

/**
 * The KYC review workflow, declared once. The workflow stack synthesizes this Amazon States Language
 * definition with the task functions' ARNs; the local runtime runs the very same definition with each
 * task bound to the same handler module. There is no second copy of the workflow anywhere.
 */
/** A workflow task function; its id is also the name of the ASL state that invokes it. */
export type WorkflowTask = FunctionDefinition;

/** Executions are named after the user: starting the same review twice is refused by Step Functions. */
export const kycExecutionName = (userId: number) => `kyc-${userId}`;

export const KYC_WORKFLOW_TASKS = [
  {
    id: 'KycPreChecks',
    handler: 'functions/kyc-prechecks/handler.ts',
    capabilities: ['table:read', 'table:write', 'pii:blind-index', 'kyc:policy'],
    summary:
      'Automated pre-checks (age, duplicate identity, watch list, identity document) recorded on the case',
  },
  {
    id: 'KycNotifyAdmins',
    handler: 'functions/kyc-notify-admins/handler.ts',
    capabilities: ['table:read', 'table:write', 'notifications:send'],
    summary: 'Tell every bank admin a case waits (persisted notifications + SQS)',
  },
  {
    id: 'KycAwaitDecision',
    handler: 'functions/kyc-await-decision/handler.ts',
    capabilities: ['table:read', 'table:write', 'workflow:decide'],
    summary: "Keep the wait's task token on the case (or resume at once if an admin already decided)",
  },
  {
    id: 'KycApplyDecision',
    handler: 'functions/kyc-apply-decision/handler.ts',
    capabilities: ['table:read', 'table:write', 'identity:admin'],
    summary: 'Apply the decision: profile status, verification, Cognito attribute',
  },
  {
    id: 'KycNotifyCustomer',
    handler: 'functions/kyc-notify-customer/handler.ts',
    capabilities: ['table:read', 'table:write', 'notifications:send'],
    summary: 'Tell the customer the outcome and the reason',
  },
  {
    id: 'KycEscalate',
    handler: 'functions/kyc-escalate/handler.ts',
    capabilities: ['table:read', 'table:write', 'notifications:send'],
    summary: 'No decision in time: mark the case escalated and notify admins again',
  },
  {
    id: 'KycExpire',
    handler: 'functions/kyc-expire/handler.ts',
    capabilities: ['table:read', 'table:write'],
    summary: 'Still no decision: expire the case (the customer is rejected with that reason)',
  },
  {
    id: 'KycRecordFailure',
    handler: 'functions/kyc-record-failure/handler.ts',
    capabilities: ['table:read', 'table:write'],
    summary: 'Record a failed step on the case so it is visible instead of vanishing',
  },
] as const satisfies readonly WorkflowTask[];

export type KycTaskId = (typeof KYC_WORKFLOW_TASKS)[number]['id'];

export interface KycWorkflowSettings {
  /** How long admins have before the case escalates (default 7 days). */
  decisionTimeoutSeconds: number;
  /** How long after escalation before the case expires. */
  escalationTimeoutSeconds: number;
}

export const DEFAULT_KYC_SETTINGS: KycWorkflowSettings = {
  decisionTimeoutSeconds: 7 * 24 * 3600,
  escalationTimeoutSeconds: 3 * 24 * 3600,
};

/** Non-waiting tasks: bounded, so a stuck call becomes a States.Timeout the retry/catch handles. */
const TASK_TIMEOUT_SECONDS = 30;

const RETRY = [
  {
    ErrorEquals: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
      'States.TaskFailed',
      'States.Timeout',
    ],
    IntervalSeconds: 1,
    MaxAttempts: 3,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
];

const TO_FAILURE = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'KycRecordFailure' }];

const invoke = (functionArn: string, next: string, resultPath: string | null) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: functionArn, 'Payload.$': '$' },
  ResultSelector: { 'result.$': '$.Payload' },
  ResultPath: resultPath,
  TimeoutSeconds: TASK_TIMEOUT_SECONDS,
  Retry: RETRY,
  Catch: TO_FAILURE,
  Next: next,
});

const awaitDecision = (
  functionArn: string,
  phase: 'REVIEW' | 'ESCALATED',
  timeoutSeconds: number,
  onTimeout: string,
) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: {
    FunctionName: functionArn,
    Payload: { 'taskToken.$': '$$.Task.Token', 'userId.$': '$.userId', phase },
  },
  ResultPath: '$.decision',
  TimeoutSeconds: timeoutSeconds,
  // Only Lambda's own failures to store the token are retried: neither the wait's timeout nor a
  // SendTaskFailure (which surfaces as States.TaskFailed) repeats the wait.
  Retry: RETRY.map((rule) => ({
    ...rule,
    ErrorEquals: rule.ErrorEquals.filter((name) => name !== 'States.Timeout' && name !== 'States.TaskFailed'),
  })),
  Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: onTimeout }, ...TO_FAILURE],
  Next: 'KycApplyDecision',
});

/** Input of every execution: `{ "userId": <the seed's integer id> }`. */
export const kycReviewDefinition = (
  functionArns: Record<KycTaskId, string>,
  settings: KycWorkflowSettings,
) => ({
  Comment:
    'KYC review: pre-checks, admin notification, decision (task token), effects, customer notification',
  StartAt: 'KycPreChecks',
  TimeoutSeconds: settings.decisionTimeoutSeconds + settings.escalationTimeoutSeconds + 3600,
  States: {
    KycPreChecks: invoke(functionArns.KycPreChecks, 'KycNotifyAdmins', '$.preChecks'),
    KycNotifyAdmins: invoke(functionArns.KycNotifyAdmins, 'KycAwaitDecision', null),
    KycAwaitDecision: awaitDecision(
      functionArns.KycAwaitDecision,
      'REVIEW',
      settings.decisionTimeoutSeconds,
      'KycEscalate',
    ),
    KycEscalate: invoke(functionArns.KycEscalate, 'KycAwaitEscalatedDecision', null),
    KycAwaitEscalatedDecision: awaitDecision(
      functionArns.KycAwaitDecision,
      'ESCALATED',
      settings.escalationTimeoutSeconds,
      'KycExpire',
    ),
    KycExpire: {
      ...invoke(functionArns.KycExpire, 'KycNotifyCustomer', '$.decision'),
      // The expiry's decision takes the place an admin's decision would have: $.decision.
      ResultSelector: {
        'status.$': '$.Payload.status',
        'reason.$': '$.Payload.reason',
        'decidedAt.$': '$.Payload.decidedAt',
      },
    },
    KycApplyDecision: invoke(functionArns.KycApplyDecision, 'KycNotifyCustomer', null),
    KycNotifyCustomer: invoke(functionArns.KycNotifyCustomer, 'KycReviewed', null),
    KycReviewed: { Type: 'Succeed' },
    KycRecordFailure: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: functionArns.KycRecordFailure, 'Payload.$': '$' },
      ResultPath: null,
      TimeoutSeconds: TASK_TIMEOUT_SECONDS,
      Retry: RETRY,
      Next: 'KycReviewFailed',
    },
    KycReviewFailed: {
      Type: 'Fail',
      Error: 'KycReviewFailed',
      Cause: 'A step of the KYC review failed; see the case',
    },
  },
});
