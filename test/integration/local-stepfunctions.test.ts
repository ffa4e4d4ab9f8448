import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { KYC_STATUS_ATTRIBUTE } from '@contract/auth';
import { KYC_WORKFLOW_TASKS, kycExecutionName, type KycTaskId } from '@contract/kyc-workflow';
import { QUEUES } from '@contract/queues';
import {
  createLocalStepFunctions,
  type LocalFunction,
  type LocalStepFunctions,
} from '@local/emulators/stepfunctions';
import { ensureUserPool } from '@local/bootstrap';
import { kycStateMachine, LOCAL_KYC_STATE_MACHINE_ARN, localFunctionArn } from '@local/workflows';
import { readState, startLocalStack, type LocalStack } from '@test/local-stack';

/*
 * The local Step Functions: the contract's KYC definition run by aws-local-stepfunctions, every task bound to
 * a FAKE handler here (the real ones are tested elsewhere), driven through @aws-sdk/client-sfn exactly as the
 * handlers drive it.
 */

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const clientConfig = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });

type Event = Record<string, unknown>;
type FakeHandler = (event: Event, context: Context) => unknown;

interface Call {
  task: KycTaskId;
  event: Event;
  functionName: string;
}

/** Fake task handlers: each call is recorded; behaviour per task can be replaced per test. */
const fakeTasks = () => {
  const calls: Call[] = [];
  const tokenWaiters: ((token: string) => void)[] = [];
  const tokens: { token: string; phase: unknown }[] = [];
  const behaviour: Partial<Record<KycTaskId, FakeHandler>> = {
    KycPreChecks: () => ({ passed: true }),
    KycAwaitDecision: (event) => {
      tokens.push({ token: String(event.taskToken), phase: event.phase });
      tokenWaiters.shift()?.(String(event.taskToken));
      return { stored: true };
    },
    KycExpire: () => ({ status: 'REJECTED', reason: 'No decision in time', decidedAt: EXPIRED_AT }),
  };
  const loadHandler = async (fn: LocalFunction) => {
    const task = fn.id as KycTaskId;
    return (event: never, context: Context) => {
      calls.push({ task, event: event as Event, functionName: context.functionName });
      return Promise.resolve((behaviour[task] ?? (() => ({})))(event as Event, context));
    };
  };
  /** The token of the next wait (or of one that already started and was not taken yet). */
  let taken = 0;
  const nextToken = (): Promise<string> => {
    const index = taken;
    taken += 1;
    if (tokens[index]) return Promise.resolve(tokens[index].token);
    return new Promise((resolve) => tokenWaiters.push(resolve));
  };
  const called = (task: KycTaskId) => calls.filter((call) => call.task === task);
  return { calls, tokens, behaviour, loadHandler, nextToken, called };
};

const EXPIRED_AT = '2026-01-01T00:00:00.000Z';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls DescribeExecution until the status is reached. */
const statusOf = async (
  sfn: SFNClient,
  executionArn: string,
  status: string,
  timeoutMs = 15_000,
): Promise<DescribeExecutionCommandOutput> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status === status) return described;
    if (described.status !== 'RUNNING' || Date.now() > deadline) {
      throw new Error(
        `${executionArn} is ${described.status}, expected ${status}: ${JSON.stringify(described)}`,
      );
    }
    await sleep(50);
  }
};

const errorOf = async (
  work: Promise<unknown>,
): Promise<{ name: string; status?: number; message: string }> => {
  try {
    await work;
  } catch (error) {
    const failure = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: failure.name, status: failure.$metadata?.httpStatusCode, message: failure.message };
  }
  throw new Error('expected the call to fail');
};

describe('local Step Functions running the KYC review definition (fake handlers)', () => {
  let engine: LocalStepFunctions;
  let sfn: SFNClient;
  let fake: ReturnType<typeof fakeTasks>;
  let userId = 1000;

  const start = async (settings = { decisionTimeoutSeconds: 30, escalationTimeoutSeconds: 30 }) => {
    fake = fakeTasks();
    engine = createLocalStepFunctions({
      stateMachines: [kycStateMachine(settings)],
      loadHandler: fake.loadHandler,
      log: () => undefined,
    });
    sfn = new SFNClient(clientConfig(await engine.listen()));
  };

  const startReview = async (id = (userId += 1)) => {
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: LOCAL_KYC_STATE_MACHINE_ARN,
        name: kycExecutionName(id),
        input: JSON.stringify({ userId: id }),
      }),
    );
    return { id, executionArn: started.executionArn as string, startDate: started.startDate };
  };

  afterEach(async () => {
    sfn?.destroy();
    await engine?.close();
  });

  it('runs to Succeed when the wait is resumed by SendTaskSuccess', async () => {
    await start();
    const { id, executionArn, startDate } = await startReview();
    expect(executionArn).toBe(
      `arn:aws:states:us-east-1:000000000000:execution:core-banking-local-kyc-review:kyc-${id}`,
    );
    expect(startDate).toBeInstanceOf(Date);

    const token = await fake.nextToken();
    const waiting = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(waiting).toMatchObject({ status: 'RUNNING', name: `kyc-${id}`, input: `{"userId":${id}}` });
    expect(waiting.stopDate).toBeUndefined();

    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: token,
        output: JSON.stringify({ status: 'APPROVED', reason: 'Documents verified' }),
      }),
    );
    const done = await statusOf(sfn, executionArn, 'SUCCEEDED');

    expect(fake.calls.map((call) => call.task)).toEqual([
      'KycPreChecks',
      'KycNotifyAdmins',
      'KycAwaitDecision',
      'KycApplyDecision',
      'KycNotifyCustomer',
    ]);
    // Payload.$ = '$' resolved: the handler gets the state input, not the Parameters wrapper.
    expect(fake.called('KycPreChecks')[0]?.event).toEqual({ userId: id });
    expect(fake.called('KycNotifyAdmins')[0]?.event).toEqual({
      userId: id,
      preChecks: { result: { passed: true } },
    });
    expect(fake.called('KycAwaitDecision')[0]?.event).toEqual({
      taskToken: token,
      userId: id,
      phase: 'REVIEW',
    });
    expect(fake.called('KycApplyDecision')[0]?.event).toMatchObject({
      decision: { status: 'APPROVED', reason: 'Documents verified' },
    });
    expect(fake.calls[0]?.functionName).toBe('core-banking-local-KycPreChecks');
    expect(JSON.parse(done.output as string)).toEqual({
      userId: id,
      preChecks: { result: { passed: true } },
      decision: { status: 'APPROVED', reason: 'Documents verified' },
    });
    expect(done.stopDate?.getTime()).toBeGreaterThanOrEqual(done.startDate?.getTime() ?? 0);

    // The token is spent.
    const again = await errorOf(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })));
    expect(again).toMatchObject({ name: 'TaskDoesNotExist', status: 400 });
  }, 20_000);

  it('lets the waiting handler resume the execution itself (an admin decided already)', async () => {
    await start();
    fake.behaviour.KycAwaitDecision = async (event) => {
      await sfn.send(
        new SendTaskSuccessCommand({
          taskToken: String(event.taskToken),
          output: JSON.stringify({ status: 'REJECTED', reason: 'Decided before the wait' }),
        }),
      );
      return { resumed: true };
    };
    const { executionArn } = await startReview();

    const done = await statusOf(sfn, executionArn, 'SUCCEEDED');
    expect(JSON.parse(done.output as string).decision).toEqual({
      status: 'REJECTED',
      reason: 'Decided before the wait',
    });
  }, 20_000);

  it('routes a SendTaskFailure straight to the Catch: the wait is not retried', async () => {
    await start();
    const { executionArn } = await startReview();

    // The wait's Retry covers Lambda's own failures only: a reviewer's SendTaskFailure is final.
    const token = await fake.nextToken();
    await sfn.send(
      new SendTaskFailureCommand({
        taskToken: token,
        error: 'KycReviewerError',
        cause: 'reviewer tool down',
      }),
    );
    const failed = await statusOf(sfn, executionArn, 'FAILED');

    expect(fake.called('KycAwaitDecision')).toHaveLength(1);
    expect(fake.called('KycRecordFailure')[0]?.event).toMatchObject({
      failure: { Error: 'KycReviewerError', Cause: 'reviewer tool down' },
    });
    expect(fake.called('KycApplyDecision')).toHaveLength(0);
    expect(failed).toMatchObject({
      error: 'KycReviewFailed',
      cause: 'A step of the KYC review failed; see the case',
    });
    expect(failed.output).toBeUndefined();
  }, 30_000);

  it('fires the wait TimeoutSeconds: escalates, waits again, then expires', async () => {
    await start({ decisionTimeoutSeconds: 1, escalationTimeoutSeconds: 1 });
    const { id, executionArn } = await startReview();
    const reviewToken = await fake.nextToken();
    const escalatedToken = await fake.nextToken();

    // The first wait timed out: its token is refused while the escalated wait runs.
    const late = await errorOf(
      sfn.send(new SendTaskSuccessCommand({ taskToken: reviewToken, output: '{}' })),
    );
    expect(late).toMatchObject({ name: 'TaskTimedOut', status: 400 });

    const done = await statusOf(sfn, executionArn, 'SUCCEEDED');
    expect(fake.calls.map((call) => call.task)).toEqual([
      'KycPreChecks',
      'KycNotifyAdmins',
      'KycAwaitDecision',
      'KycEscalate',
      'KycAwaitDecision',
      'KycExpire',
      'KycNotifyCustomer',
    ]);
    expect(fake.tokens.map((token) => token.phase)).toEqual(['REVIEW', 'ESCALATED']);
    expect(fake.called('KycEscalate')[0]?.event).toMatchObject({
      userId: id,
      timeout: { Error: 'States.Timeout' },
    });
    expect(JSON.parse(done.output as string).decision).toEqual({
      status: 'REJECTED',
      reason: 'No decision in time',
      decidedAt: EXPIRED_AT,
    });
    // Both waits are over: their tokens no longer exist.
    const gone = await errorOf(
      sfn.send(new SendTaskSuccessCommand({ taskToken: escalatedToken, output: '{}' })),
    );
    expect(gone.name).toBe('TaskDoesNotExist');
  }, 20_000);

  it('retries a task that throws twice, with the error name matched by Retry', async () => {
    await start();
    let failures = 0;
    fake.behaviour.KycPreChecks = () => {
      if (failures < 2) {
        failures += 1;
        const error = new Error('table busy');
        error.name = 'TransientError';
        throw error;
      }
      return { passed: true };
    };
    const { executionArn } = await startReview();

    await fake.nextToken();
    expect(fake.called('KycPreChecks')).toHaveLength(3);
    expect(fake.called('KycNotifyAdmins')).toHaveLength(1);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
  }, 20_000);

  it('catches a task that keeps failing, with the Lambda error document as Cause', async () => {
    await start();
    fake.behaviour.KycNotifyAdmins = () => {
      throw new TypeError('queue unreachable');
    };
    const { executionArn } = await startReview();

    const failed = await statusOf(sfn, executionArn, 'FAILED', 20_000);
    expect(fake.called('KycNotifyAdmins')).toHaveLength(4);
    const failure = fake.called('KycRecordFailure')[0]?.event.failure as { Error: string; Cause: string };
    expect(failure.Error).toBe('TypeError');
    expect(JSON.parse(failure.Cause)).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'queue unreachable',
    });
    expect(failed.error).toBe('KycReviewFailed');
  }, 30_000);

  it('treats a name that is taken as ExecutionAlreadyExists, and the same name and input as idempotent', async () => {
    await start();
    const { id, executionArn, startDate } = await startReview();
    await fake.nextToken();

    const same = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: LOCAL_KYC_STATE_MACHINE_ARN,
        name: kycExecutionName(id),
        input: JSON.stringify({ userId: id }),
      }),
    );
    expect(same.executionArn).toBe(executionArn);
    expect(same.startDate?.getTime()).toBe(startDate?.getTime());

    const other = await errorOf(
      sfn.send(
        new StartExecutionCommand({
          stateMachineArn: LOCAL_KYC_STATE_MACHINE_ARN,
          name: kycExecutionName(id),
          input: JSON.stringify({ userId: id, again: true }),
        }),
      ),
    );
    expect(other).toMatchObject({ name: 'ExecutionAlreadyExists', status: 400 });
    expect(fake.called('KycPreChecks')).toHaveLength(1);

    // Closed: the name stays taken, whatever the input.
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: fake.tokens[0]?.token,
        output: JSON.stringify({ status: 'APPROVED', reason: 'ok' }),
      }),
    );
    await statusOf(sfn, executionArn, 'SUCCEEDED');
    const closed = await errorOf(
      sfn.send(
        new StartExecutionCommand({
          stateMachineArn: LOCAL_KYC_STATE_MACHINE_ARN,
          name: kycExecutionName(id),
          input: JSON.stringify({ userId: id }),
        }),
      ),
    );
    expect(closed.name).toBe('ExecutionAlreadyExists');
  }, 20_000);

  it('answers API errors the way Step Functions does', async () => {
    await start();
    const executionArn = (name: string) =>
      `${LOCAL_KYC_STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`;
    const cases: [() => Promise<unknown>, string][] = [
      [
        () => sfn.send(new DescribeExecutionCommand({ executionArn: executionArn('nope') })),
        'ExecutionDoesNotExist',
      ],
      [() => sfn.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' })), 'InvalidArn'],
      [
        () =>
          sfn.send(
            new StartExecutionCommand({
              stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:unknown',
              input: '{}',
            }),
          ),
        'StateMachineDoesNotExist',
      ],
      [
        () =>
          sfn.send(
            new StartExecutionCommand({ stateMachineArn: LOCAL_KYC_STATE_MACHINE_ARN, input: '{oops' }),
          ),
        'InvalidExecutionInput',
      ],
      [
        () =>
          sfn.send(
            new StartExecutionCommand({
              stateMachineArn: LOCAL_KYC_STATE_MACHINE_ARN,
              name: 'a b',
              input: '{}',
            }),
          ),
        'InvalidName',
      ],
      [() => sfn.send(new SendTaskSuccessCommand({ taskToken: 'garbage', output: '{}' })), 'InvalidToken'],
      [
        () => sfn.send(new SendTaskFailureCommand({ taskToken: `LOCAL${'A'.repeat(64)}`, error: 'X' })),
        'TaskDoesNotExist',
      ],
    ];
    for (const [call, name] of cases) {
      expect(await errorOf(call())).toMatchObject({ name, status: 400 });
    }

    // An invalid output is refused and the wait goes on.
    const review = await startReview();
    const token = await fake.nextToken();
    const invalid = await errorOf(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: 'nope' })));
    expect(invalid.name).toBe('InvalidOutput');
    const still = await sfn.send(new DescribeExecutionCommand({ executionArn: review.executionArn }));
    expect(still.status).toBe('RUNNING');
  }, 20_000);

  it('speaks the JSON 1.0 wire protocol: {__type, message} errors and epoch-second dates', async () => {
    await start();
    const endpoint = await sfn.config.endpoint?.();
    const url = `${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}/`;
    const post = (target: string, body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': target },
        body: JSON.stringify(body),
      });

    const started = await post('AWSStepFunctions.StartExecution', {
      stateMachineArn: LOCAL_KYC_STATE_MACHINE_ARN,
      name: 'wire-1',
      input: '{"userId":1}',
    });
    expect(started.status).toBe(200);
    expect(started.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    const body = (await started.json()) as { executionArn: string; startDate: number };
    expect(typeof body.startDate).toBe('number');
    expect(Math.abs(body.startDate * 1000 - Date.now())).toBeLessThan(5_000);

    const refused = await post('AWSStepFunctions.StartExecution', {
      stateMachineArn: LOCAL_KYC_STATE_MACHINE_ARN,
      name: 'wire-1',
      input: '{"userId":2}',
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      __type: 'ExecutionAlreadyExists',
      message: `Execution Already Exists: '${body.executionArn}'`,
    });

    const unknown = await post('AWSStepFunctions.ListExecutions', {});
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  }, 20_000);

  it('reports TIMED_OUT, FAILED and ABORTED executions', async () => {
    fake = fakeTasks();
    const fn = { id: 'Slow', handler: 'unused.ts' };
    const slowArn = localFunctionArn('Slow');
    const machine = (name: string, definition: object) => ({
      arn: `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`,
      definition,
      functions: { [slowArn]: fn },
    });
    engine = createLocalStepFunctions({
      stateMachines: [
        machine('times-out', {
          StartAt: 'Wait',
          TimeoutSeconds: 1,
          States: { Wait: { Type: 'Wait', Seconds: 5, End: true } },
        }),
        machine('fails', {
          StartAt: 'Boom',
          States: { Boom: { Type: 'Fail', Error: 'Boom', Cause: 'on purpose' } },
        }),
        machine('waits', {
          StartAt: 'Hold',
          States: {
            Hold: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Parameters: { FunctionName: slowArn, Payload: { 'token.$': '$$.Task.Token' } },
              TimeoutSeconds: 60,
              End: true,
            },
          },
        }),
      ],
      loadHandler: async () => () => ({}),
      log: () => undefined,
    });
    sfn = new SFNClient(clientConfig(await engine.listen()));
    const run = async (name: string) =>
      (
        await sfn.send(
          new StartExecutionCommand({
            stateMachineArn: `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`,
            input: '{}',
          }),
        )
      ).executionArn as string;

    const timedOut = await run('times-out');
    const failed = await run('fails');
    const waiting = await run('waits');

    expect(await statusOf(sfn, timedOut, 'TIMED_OUT')).toMatchObject({ error: 'States.Timeout' });
    expect(await statusOf(sfn, failed, 'FAILED')).toMatchObject({ error: 'Boom', cause: 'on purpose' });
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: waiting }))).status).toBe('RUNNING');

    // Stopping the runtime ends pending waits; the execution is ABORTED, not left hanging.
    const stopping = engine.close();
    const aborted = await engine.waitForExecution(waiting);
    await stopping;
    expect(aborted.status).toBe('ABORTED');
  }, 20_000);

  it('imports a task handler module from its file path by default', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfn-handlers-'));
    try {
      const file = join(dir, 'double.js');
      await writeFile(
        file,
        'exports.handler = async (event, context) => ({ doubled: event.value * 2, name: context.functionName });\n',
      );
      const arn = localFunctionArn('Double');
      engine = createLocalStepFunctions({
        stateMachines: [
          {
            arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:double',
            definition: {
              StartAt: 'Double',
              States: {
                Double: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Parameters: { FunctionName: arn, 'Payload.$': '$' },
                  OutputPath: '$.Payload',
                  TimeoutSeconds: 5,
                  End: true,
                },
              },
            },
            functions: { [arn]: { id: 'Double', handler: file } },
          },
        ],
        log: () => undefined,
      });
      const { executionArn } = await engine.startExecution({
        stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:double',
        input: '{"value":21}',
      });
      const done = await engine.waitForExecution(executionArn);
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output as string)).toEqual({ doubled: 42, name: 'core-banking-local-Double' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('binds every Task state of the KYC definition to the function its FunctionName names', () => {
    const spec = kycStateMachine({ decisionTimeoutSeconds: 10, escalationTimeoutSeconds: 10 });
    const states = Object.entries(
      (
        spec.definition as {
          States: Record<string, { Type: string; Parameters?: { FunctionName?: string } }>;
        }
      ).States,
    ).filter(([, state]) => state.Type === 'Task');
    for (const [name, state] of states) {
      const fn = spec.functions[state.Parameters?.FunctionName ?? ''];
      expect(fn).toBeDefined();
      // The two wait states share the KycAwaitDecision function; every other state is its own task.
      expect(fn?.id).toBe(name === 'KycAwaitEscalatedDecision' ? 'KycAwaitDecision' : name);
    }
    expect(new Set(states.map(([, state]) => state.Parameters?.FunctionName)).size).toBe(
      KYC_WORKFLOW_TASKS.length,
    );
  });
});

describe('npm start: queues and the Step Functions endpoint in the real stack', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack({ args: ['--kyc-decision-timeout', '3', '--kyc-escalation-timeout', '4'] });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  }, 30_000);

  it('creates every queue of the contract with its dead-letter queue and redrive policy', async () => {
    const state = await readState(stack.dataDir);
    const sqs = new SQSClient(clientConfig(state?.running?.endpoints.sqs as string));
    try {
      for (const [id, spec] of Object.entries(QUEUES)) {
        const recorded = state?.resources?.queues?.[id];
        const { QueueUrl } = await sqs.send(
          new GetQueueUrlCommand({ QueueName: `core-banking-local-${spec.name}` }),
        );
        expect(QueueUrl).toBe(recorded?.url);
        const { Attributes } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
        );
        expect(Attributes).toMatchObject({
          VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
          MessageRetentionPeriod: String(spec.retentionDays * 86_400),
        });
        expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
          deadLetterTargetArn: recorded?.deadLetterArn,
          maxReceiveCount: spec.maxReceiveCount,
        });
        const dlq = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: recorded?.deadLetterUrl, AttributeNames: ['All'] }),
        );
        expect(dlq.Attributes).toMatchObject({
          QueueArn: recorded?.deadLetterArn,
          MessageRetentionPeriod: String(spec.deadLetterRetentionDays * 86_400),
        });
      }
    } finally {
      sqs.destroy();
    }
    expect(stack.output()).toMatch(/queues [\w, -]+ \(\+DLQ\)\s+created\s+\d+ ms/);
  });

  it('serves the Step Functions API and passes the KYC timeout flags through', async () => {
    const state = await readState(stack.dataDir);
    expect(state?.resources?.kycStateMachineArn).toBe(LOCAL_KYC_STATE_MACHINE_ARN);
    const endpoint = state?.running?.stepfunctions as string;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.output()).toMatch(/stepfunctions\s+http:\/\/127\.0\.0\.1:\d+\s+\d+ ms\s+\(in-process\)/);
    expect(stack.output()).toContain('decision timeout 3 s, escalation timeout 4 s');
    expect(stack.output()).toMatch(/kyc resume\s+(\d+ of \d+ open cases resumed|skipped)/);

    const sfn = new SFNClient(clientConfig(endpoint));
    try {
      const missing = await errorOf(
        sfn.send(
          new DescribeExecutionCommand({
            executionArn: `${LOCAL_KYC_STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:kyc-0`,
          }),
        ),
      );
      expect(missing).toMatchObject({ name: 'ExecutionDoesNotExist', status: 400 });
    } finally {
      sfn.destroy();
    }
  });

  it('gives the user pool the custom KYC status attribute the workflow sets (readable, not writable)', async () => {
    const state = await readState(stack.dataDir);
    const cognito = new CognitoIdentityProviderClient(
      clientConfig(state?.running?.endpoints.cognito as string),
    );
    const attribute = `custom:${KYC_STATUS_ATTRIBUTE}`;
    try {
      const UserPoolId = state?.resources?.userPoolId as string;
      const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId }));
      expect(UserPool?.SchemaAttributes).toContainEqual(
        expect.objectContaining({ Name: attribute, AttributeDataType: 'String', Mutable: true }),
      );
      const { UserPoolClient } = await cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId, ClientId: state?.resources?.userPoolClientId }),
      );
      expect(UserPoolClient?.ReadAttributes).toContain(attribute);
      expect(UserPoolClient?.WriteAttributes).not.toContain(attribute);

      // A pool from before the attribute existed gets it in place on the next start.
      const { UserPool: old } = await cognito.send(new CreateUserPoolCommand({ PoolName: 'older' }));
      const upgraded = await ensureUserPool(cognito, { userPoolId: old?.Id });
      expect(upgraded).toMatchObject({ userPoolId: old?.Id, outcome: 'updated' });
      const after = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: old?.Id }));
      expect(after.UserPool?.SchemaAttributes?.map((schema) => schema.Name)).toContain(attribute);
    } finally {
      cognito.destroy();
    }
  });
});
