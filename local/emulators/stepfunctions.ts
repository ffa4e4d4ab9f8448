import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import {
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import {
  HandlerNotFoundError,
  LOCAL_ACCOUNT_ID,
  createLambdaContext,
  importHandler,
  invokeHandler,
  type AnyLambdaHandler,
} from '../lambda';
import { LOCAL_REGION, LOOPBACK, listenOn, type RunningEmulator } from './support';

/*
 * A local AWS Step Functions: the few API calls the app makes (StartExecution, SendTaskSuccess,
 * SendTaskFailure, DescribeExecution), served over the service's own JSON 1.0 protocol so `@aws-sdk/client-sfn`
 * in the handlers works unchanged through AWS_ENDPOINT_URL_SFN. Executions run the Amazon States Language
 * definition itself with aws-local-stepfunctions, every Task state bound to the local handler module of the
 * Lambda function it invokes. That library has no task tokens: `.waitForTaskToken` is implemented here
 * (a fresh token per wait, a pending promise our SendTaskSuccess/Failure settles). Executions live in memory.
 */

// aws-local-stepfunctions calls Promise.withResolvers (Node >= 22) in every Task state; Node 20 lacks it.
const promiseStatics = Promise as unknown as { withResolvers?: unknown };
if (typeof promiseStatics.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolvePromise!: (value: T | PromiseLike<T>) => void;
      let rejectPromise!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolvePromise = res;
        rejectPromise = rej;
      });
      return { promise, resolve: resolvePromise, reject: rejectPromise };
    },
  });
}

/** A Lambda function the state machine invokes, run locally from its handler module. */
export interface LocalFunction {
  readonly id: string;
  /** Handler module, relative to the repository root (or absolute); it exports `handler`. */
  readonly handler: string;
}

export interface StateMachineSpec {
  /** `arn:aws:states:<region>:<account>:stateMachine:<name>` */
  readonly arn: string;
  /** The Amazon States Language definition (the same object CDK synthesizes). */
  readonly definition: object;
  /** Lambda function ARN -> the function that runs when a Task state invokes that ARN. */
  readonly functions: Readonly<Record<string, LocalFunction>>;
}

export interface LocalStepFunctionsOptions {
  stateMachines: readonly StateMachineSpec[];
  /** Resolves a function's handler; by default imports `<repoRoot>/<function.handler>` lazily, once. */
  loadHandler?: (fn: LocalFunction) => Promise<AnyLambdaHandler>;
  repoRoot?: string;
  region?: string;
  accountId?: string;
  /** One line per execution event worth knowing (start, failures, retries, catches, end). */
  log?: (line: string) => void;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

/** A Step Functions API error: `type` is the `__type` the SDK turns into the exception's name. */
export class SfnServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export interface LocalStepFunctions {
  startExecution(request: {
    stateMachineArn?: string;
    name?: string;
    input?: string;
  }): Promise<{ executionArn: string; startDate: Date }>;
  sendTaskSuccess(request: { taskToken?: string; output?: string }): Promise<void>;
  sendTaskFailure(request: { taskToken?: string; error?: string; cause?: string }): Promise<void>;
  describeExecution(request: { executionArn?: string }): Promise<ExecutionDescription>;
  /** Resolves when the execution has stopped (tests); rejects for an unknown ARN. */
  waitForExecution(executionArn: string): Promise<ExecutionDescription>;
  /** Listens on loopback (port 0 = any free port) and returns the endpoint URL. */
  listen(options?: { port?: number; preferred?: number; host?: string }): Promise<string>;
  /** Aborts every running execution (pending waits just end) and closes the server. */
  close(): Promise<void>;
}

// ------------------------------------------------------------------------------------------ ASL helpers

const INVOKE = 'arn:aws:states:::lambda:invoke';
const INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** aws-local-stepfunctions' own default when a Task state has no TimeoutSeconds (AWS has none: 1 year). */
const LIBRARY_DEFAULT_TASK_TIMEOUT_SECONDS = 60;

type TaskKind = 'invoke' | 'waitForTaskToken' | 'function';

interface TaskState {
  Type: 'Task';
  Resource: string;
  Parameters?: Record<string, unknown>;
  TimeoutSeconds?: number;
}

const taskKind = (resource: string): TaskKind | undefined => {
  if (resource === INVOKE) return 'invoke';
  if (resource === INVOKE_WAIT) return 'waitForTaskToken';
  // The legacy form: the function ARN itself as Resource (input in, raw result out).
  if (/^arn:aws:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$/.test(resource)) return 'function';
  return undefined;
};

/** Every Task state, Parallel branches and Map iterators included. */
const taskStates = (definition: { States?: Record<string, unknown> }): [string, TaskState][] =>
  Object.entries(definition.States ?? {}).flatMap(([name, raw]) => {
    const state = raw as {
      Type?: string;
      Branches?: object[];
      Iterator?: object;
      ItemProcessor?: object;
    };
    if (state.Type === 'Task') return [[name, raw as TaskState]];
    const nested = [...(state.Branches ?? []), state.Iterator, state.ItemProcessor].filter(Boolean);
    return nested.flatMap((child) => taskStates(child as { States?: Record<string, unknown> }));
  });

/** Replaces every string equal to `from` (the context's token placeholder) with `to`, at any depth. */
const replaceDeep = (value: unknown, from: string, to: string): unknown => {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((item) => replaceDeep(item, from, to));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceDeep(item, from, to)]));
  }
  return value;
};

/**
 * A failed task as aws-local-stepfunctions matches it in Retry/Catch: by `name`, with `message` as the Cause.
 * `terminal` errors (the runtime stopping) are neither retried nor caught.
 */
class TaskError extends Error {
  readonly isRetryable: boolean;
  readonly isCatchable: boolean;

  constructor(name: string, cause: string, terminal = false) {
    super(cause);
    this.name = name;
    this.isRetryable = !terminal;
    this.isCatchable = !terminal;
  }
}

/** A function error as the Lambda integration reports it: Error = errorType, Cause = the error document. */
const functionError = (error: unknown): TaskError => {
  const errorType = error instanceof Error ? error.name || 'Error' : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  const trace = error instanceof Error ? (error.stack?.split('\n') ?? []) : [];
  return new TaskError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
};

const toJson = (value: unknown): unknown => {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch (error) {
    throw new TaskError(
      'Runtime.MarshalError',
      `Unable to marshal response: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
};

// --------------------------------------------------------------------------------------- API validation

const STATE_MACHINE_ARN = /^arn:aws:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;
const EXECUTION_ARN = /^arn:aws:states:[a-z0-9-]+:\d{12}:execution:[A-Za-z0-9_-]{1,80}:[^:]{1,80}$/;
// Whitespace, brackets, wildcards, special characters and control characters are refused (API reference).
// eslint-disable-next-line no-control-regex
const FORBIDDEN_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;
const TOKEN = /^LOCAL[A-Za-z0-9_-]{64}$/;
const MAX_PAYLOAD = 256 * 1024;

const required = (value: string | undefined, member: string): string => {
  if (typeof value !== 'string' || value.length === 0) {
    throw new SfnServiceError(
      'ValidationException',
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
};

const parseJson = (text: string, type: string, what: string): unknown => {
  if (Buffer.byteLength(text) > MAX_PAYLOAD) throw new SfnServiceError(type, `${what} exceeds 256 KiB`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SfnServiceError(type, `Invalid ${what}: ${error instanceof Error ? error.message : ''}`);
  }
};

// ------------------------------------------------------------------------------------------ the engine

interface Execution extends ExecutionDescription {
  /** The value `$$.Task.Token` resolves to; each wait swaps it for a fresh token in its payload. */
  readonly tokenPlaceholder: string;
  readonly started: number;
  aborting: boolean;
  abort(): void;
  done: Promise<void>;
}

interface PendingTask {
  readonly execution: Execution;
  readonly stateName: string;
  /** Epoch ms when the state's TimeoutSeconds fires: later callbacks get TaskTimedOut. */
  readonly deadline: number;
  settled: boolean;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

interface CompiledMachine {
  spec: StateMachineSpec;
  name: string;
  machine: StateMachine;
  tasks: Map<string, { kind: TaskKind; state: TaskState }>;
}

const functionNameOf = (arn: string) => arn.split(':function:')[1]?.split(':')[0] ?? arn;

export const createLocalStepFunctions = (options: LocalStepFunctionsOptions): LocalStepFunctions => {
  const region = options.region ?? LOCAL_REGION;
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  const repoRoot = options.repoRoot ?? resolve(__dirname, '..', '..');
  const log = options.log ?? ((line: string) => console.log(line));

  const machines = new Map<string, CompiledMachine>();
  for (const spec of options.stateMachines) {
    if (!STATE_MACHINE_ARN.test(spec.arn)) throw new Error(`Not a state machine ARN: ${spec.arn}`);
    const tasks = new Map<string, { kind: TaskKind; state: TaskState }>();
    for (const [stateName, state] of taskStates(spec.definition as { States?: Record<string, unknown> })) {
      const kind = taskKind(state.Resource);
      if (!kind) {
        throw new Error(`${spec.arn}: state ${stateName} uses ${state.Resource}, which runs only in AWS`);
      }
      // A static FunctionName must name a known function: a typo fails at start-up, not mid-review.
      const target = kind === 'function' ? state.Resource : state.Parameters?.FunctionName;
      if (typeof target === 'string' && !spec.functions[target]) {
        throw new Error(`${spec.arn}: state ${stateName} invokes ${target}, which has no local function`);
      }
      tasks.set(stateName, { kind, state });
    }
    machines.set(spec.arn, {
      spec,
      name: spec.arn.split(':').pop() as string,
      // Validated here (JSONPaths, ARNs), as CreateStateMachine would.
      machine: new StateMachine(spec.definition as StateMachineDefinition),
      tasks,
    });
  }

  const executions = new Map<string, Execution>();
  const pending = new Map<string, PendingTask>();
  let closed = false;

  // Each handler module is imported once, on first use, after the runtime env is set (a cold start).
  const loaded = new Map<string, Promise<AnyLambdaHandler>>();
  const handlerFor = (fn: LocalFunction): Promise<AnyLambdaHandler> => {
    let handler = loaded.get(fn.handler);
    if (!handler) {
      handler = options.loadHandler ? options.loadHandler(fn) : importHandler(fn.handler, repoRoot);
      handler.catch(() => loaded.delete(fn.handler));
      loaded.set(fn.handler, handler);
    }
    return handler;
  };

  /** Invokes a function as Lambda would; failures become the task errors Step Functions reports. */
  const invokeFunction = async (functionArn: string, fn: LocalFunction, event: unknown, deadline: number) => {
    let handler: AnyLambdaHandler;
    try {
      handler = await handlerFor(fn);
    } catch (error) {
      if (error instanceof HandlerNotFoundError) {
        throw new TaskError('Lambda.ResourceNotFoundException', `${error.message} (${fn.id})`);
      }
      throw new TaskError('Runtime.ImportModuleError', JSON.stringify(String(error)));
    }
    const requestId = randomUUID();
    const context = createLambdaContext({
      functionName: functionNameOf(functionArn),
      requestId,
      deadline,
      region,
      accountId,
    });
    let result: unknown;
    try {
      result = await invokeHandler(handler, event, context);
    } catch (error) {
      throw functionError(error);
    }
    return { requestId, payload: toJson(result) };
  };

  const dropTokens = (execution: Execution, reason: Error) => {
    for (const [token, task] of pending) {
      if (task.execution !== execution) continue;
      pending.delete(token);
      task.settled = true;
      task.reject(reason);
    }
  };

  /** The local handlers of one execution: keyed by state name, as aws-local-stepfunctions expects. */
  const bindTasks = (compiled: CompiledMachine, execution: Execution) =>
    Object.fromEntries(
      [...compiled.tasks].map(([stateName, { kind, state }]) => {
        const timeoutMs = (state.TimeoutSeconds ?? LIBRARY_DEFAULT_TASK_TIMEOUT_SECONDS) * 1000;
        const run = async (input: unknown): Promise<unknown> => {
          const deadline = Date.now() + timeoutMs;
          const parameters = (input ?? {}) as { FunctionName?: unknown; Payload?: unknown };
          const functionArn = kind === 'function' ? state.Resource : String(parameters.FunctionName);
          const fn = compiled.spec.functions[functionArn];
          if (!fn)
            throw new TaskError('Lambda.ResourceNotFoundException', `Function not found: ${functionArn}`);

          if (kind === 'function') return (await invokeFunction(functionArn, fn, input, deadline)).payload;
          if (kind === 'invoke') {
            const { requestId, payload } = await invokeFunction(
              functionArn,
              fn,
              parameters.Payload ?? {},
              deadline,
            );
            // What the optimized Lambda integration returns; ResultSelector usually keeps `$.Payload`.
            return {
              ExecutedVersion: '$LATEST',
              Payload: payload,
              SdkHttpMetadata: { HttpStatusCode: 200 },
              SdkResponseMetadata: { RequestId: requestId },
              StatusCode: 200,
            };
          }

          // .waitForTaskToken: a fresh token, registered BEFORE the handler runs (it may answer at once).
          const token = `LOCAL${randomBytes(48).toString('base64url')}`;
          let task!: PendingTask;
          const outcome = new Promise<unknown>((resolveTask, rejectTask) => {
            task = {
              execution,
              stateName,
              deadline,
              settled: false,
              resolve: resolveTask,
              reject: rejectTask,
            };
          });
          // Settled before anyone awaits it (a callback during the invocation): not an unhandled rejection.
          outcome.catch(() => undefined);
          pending.set(token, task);
          const payload = replaceDeep(parameters.Payload ?? {}, execution.tokenPlaceholder, token);
          try {
            await invokeFunction(functionArn, fn, payload, deadline);
          } catch (error) {
            if (!task.settled) {
              pending.delete(token);
              task.settled = true;
              throw error;
            }
          }
          if (!task.settled) {
            log(
              `[sfn] ${execution.name} ${stateName} waits for a task token (times out in ${timeoutMs / 1000} s)`,
            );
          }
          return outcome;
        };
        return [stateName, run];
      }),
    );

  const closeExecution = (execution: Execution, outcome: { output?: unknown; error?: unknown }) => {
    execution.stopDate = new Date();
    const { error } = outcome;
    if (execution.aborting) {
      execution.status = 'ABORTED';
    } else if (error instanceof ExecutionTimeoutError) {
      execution.status = 'TIMED_OUT';
      execution.error = 'States.Timeout';
    } else if (error !== undefined) {
      const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : error;
      execution.status = 'FAILED';
      execution.error = failure instanceof Error ? failure.name : 'States.Runtime';
      execution.cause = failure instanceof Error ? failure.message : String(failure);
    } else {
      execution.status = 'SUCCEEDED';
      execution.output = JSON.stringify(outcome.output ?? null);
    }
    // Waits still pending (aborted, timed out) end now: their tokens are refused from here on.
    dropTokens(execution, new TaskError('States.Runtime', `Execution ${execution.status}`, true));
    const ms = execution.stopDate.getTime() - execution.started;
    const detail = execution.error ? ` (${execution.error})` : '';
    log(`[sfn] ${execution.name} ${execution.status}${detail} after ${ms} ms`);
  };

  const logEvents = async (execution: Execution, events: AsyncGenerator<{ type: string }>) => {
    for await (const raw of events) {
      const event = raw as {
        type: string;
        state?: { name: string };
        Error?: string;
        retry?: { attempt: number };
        catch?: { catcher: { Next: string } };
      };
      const where = `[sfn] ${execution.name} ${event.state?.name ?? ''}`;
      if (event.type === 'StateFailed') log(`${where} failed: ${event.Error}`);
      else if (event.type === 'StateRetried') log(`${where} retry #${event.retry?.attempt}`);
      else if (event.type === 'StateCaught') log(`${where} caught -> ${event.catch?.catcher.Next}`);
    }
  };

  const machineFor = (stateMachineArn: string): CompiledMachine => {
    if (!STATE_MACHINE_ARN.test(stateMachineArn)) {
      throw new SfnServiceError('InvalidArn', `Invalid Arn: '${stateMachineArn}'`);
    }
    const compiled = machines.get(stateMachineArn);
    if (!compiled) {
      throw new SfnServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    }
    return compiled;
  };

  const executionFor = (executionArn: string): Execution => {
    if (!EXECUTION_ARN.test(executionArn)) {
      throw new SfnServiceError('InvalidArn', `Invalid Arn: '${executionArn}'`);
    }
    const execution = executions.get(executionArn);
    if (!execution) {
      throw new SfnServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    }
    return execution;
  };

  const describe = (execution: Execution): ExecutionDescription => ({
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: execution.startDate,
    ...(execution.stopDate ? { stopDate: execution.stopDate } : {}),
    input: execution.input,
    ...(execution.output === undefined ? {} : { output: execution.output }),
    ...(execution.error === undefined ? {} : { error: execution.error }),
    ...(execution.cause === undefined ? {} : { cause: execution.cause }),
  });

  const takeTask = (taskToken: string | undefined): PendingTask => {
    const token = required(taskToken, 'taskToken');
    if (!TOKEN.test(token)) throw new SfnServiceError('InvalidToken', 'Invalid token');
    const task = pending.get(token);
    if (!task) throw new SfnServiceError('TaskDoesNotExist', 'Task Does Not Exist');
    pending.delete(token);
    if (Date.now() >= task.deadline) {
      task.settled = true;
      throw new SfnServiceError('TaskTimedOut', 'Task Timed Out');
    }
    task.settled = true;
    return task;
  };

  const engine: Omit<LocalStepFunctions, 'listen' | 'close'> = {
    startExecution: async (request) => {
      if (closed)
        throw new SfnServiceError('ServiceUnavailable', 'The local Step Functions is stopping', 503);
      const compiled = machineFor(required(request.stateMachineArn, 'stateMachineArn'));
      const name = request.name ?? randomUUID();
      if (name.length < 1 || name.length > 80 || FORBIDDEN_NAME.test(name)) {
        throw new SfnServiceError('InvalidName', `Invalid Name: '${name}'`);
      }
      const input = request.input ?? '{}';
      const parsedInput = parseJson(input, 'InvalidExecutionInput', 'execution input');
      const executionArn = `${compiled.spec.arn.replace(':stateMachine:', ':execution:')}:${name}`;

      const existing = executions.get(executionArn);
      if (existing) {
        // As in AWS: the same name and input while it runs is idempotent; anything else is refused.
        if (existing.status === 'RUNNING' && existing.input === input) {
          return { executionArn, startDate: existing.startDate };
        }
        throw new SfnServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
      }

      const startDate = new Date();
      const execution: Execution = {
        executionArn,
        stateMachineArn: compiled.spec.arn,
        name,
        status: 'RUNNING',
        startDate,
        input,
        tokenPlaceholder: `LOCAL-TASK-TOKEN-${randomUUID()}`,
        started: startDate.getTime(),
        aborting: false,
        abort: () => undefined,
        done: Promise.resolve(),
      };
      executions.set(executionArn, execution);
      const run = compiled.machine.run(parsedInput as never, {
        overrides: { taskResourceLocalHandlers: bindTasks(compiled, execution) as never },
        noThrowOnAbort: true,
        context: {
          Execution: {
            Id: executionArn,
            Name: name,
            RoleArn: `arn:aws:iam::${accountId}:role/local-step-functions`,
            StartTime: startDate.toISOString(),
          },
          StateMachine: { Id: compiled.spec.arn, Name: compiled.name },
          Task: { Token: execution.tokenPlaceholder },
        },
      });
      execution.abort = run.abort;
      execution.done = run.result.then(
        (output) => closeExecution(execution, { output }),
        (error: unknown) => closeExecution(execution, { error }),
      );
      void logEvents(execution, run.eventLogs).catch(() => undefined);
      log(`[sfn] ${name} started (${compiled.name})`);
      return { executionArn, startDate };
    },

    sendTaskSuccess: async ({ taskToken, output }) => {
      const text = required(output, 'output');
      const value = parseJson(text, 'InvalidOutput', 'output');
      takeTask(taskToken).resolve(value);
    },

    sendTaskFailure: async ({ taskToken, error, cause }) => {
      takeTask(taskToken).reject(new TaskError(error ?? '', cause ?? ''));
    },

    describeExecution: async ({ executionArn }) =>
      describe(executionFor(required(executionArn, 'executionArn'))),

    waitForExecution: async (executionArn) => {
      const execution = executionFor(executionArn);
      await execution.done;
      return describe(execution);
    },
  };

  // --------------------------------------------------------------------------------- the JSON 1.0 server

  type Operation = (body: Record<string, unknown>) => Promise<unknown>;
  const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const epochSeconds = (date: Date | undefined) => (date ? date.getTime() / 1000 : undefined);
  const operations: Record<string, Operation> = {
    StartExecution: async (body) => {
      const started = await engine.startExecution({
        stateMachineArn: str(body.stateMachineArn),
        name: str(body.name),
        input: str(body.input),
      });
      return { executionArn: started.executionArn, startDate: epochSeconds(started.startDate) };
    },
    SendTaskSuccess: async (body) => {
      await engine.sendTaskSuccess({ taskToken: str(body.taskToken), output: str(body.output) });
      return {};
    },
    SendTaskFailure: async (body) => {
      await engine.sendTaskFailure({
        taskToken: str(body.taskToken),
        error: str(body.error),
        cause: str(body.cause),
      });
      return {};
    },
    DescribeExecution: async (body) => {
      const execution = await engine.describeExecution({ executionArn: str(body.executionArn) });
      return {
        ...execution,
        startDate: epochSeconds(execution.startDate),
        stopDate: epochSeconds(execution.stopDate),
        inputDetails: { included: true },
        ...(execution.output === undefined ? {} : { outputDetails: { included: true } }),
      };
    },
  };

  const readBody = (request: IncomingMessage): Promise<string> =>
    new Promise((resolveBody, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > 2 * MAX_PAYLOAD) {
          reject(new SfnServiceError('ValidationException', 'Request body too large', 413));
          request.destroy();
          return;
        }
        chunks.push(chunk);
      });
      request.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
      request.on('error', reject);
    });

  const respond = (response: ServerResponse, status: number, body: unknown, requestId: string) => {
    const text = JSON.stringify(body);
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/x-amz-json-1.0',
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': requestId,
    };
    if (status >= 400) headers['x-amzn-ErrorType'] = (body as { __type: string }).__type;
    response.writeHead(status, headers).end(text);
  };

  const handle = async (request: IncomingMessage): Promise<unknown> => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AWSStepFunctions.')
      ? operations[target.slice('AWSStepFunctions.'.length)]
      : undefined;
    if (request.method !== 'POST' || !operation) {
      throw new SfnServiceError(
        'UnknownOperationException',
        `Operation ${target || '(none)'} is not supported by the local Step Functions (only ${Object.keys(operations).join(', ')})`,
      );
    }
    const text = await readBody(request);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      throw new SfnServiceError('SerializationException', 'Malformed JSON request body');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new SfnServiceError('SerializationException', 'The request body must be a JSON object');
    }
    return operation(body as Record<string, unknown>);
  };

  const server = createServer((request, response) => {
    const requestId = randomUUID();
    handle(request).then(
      (result) => respond(response, 200, result, requestId),
      (error: unknown) => {
        if (error instanceof SfnServiceError) {
          respond(response, error.status, { __type: error.type, message: error.message }, requestId);
          return;
        }
        console.error('[sfn] unexpected failure', error);
        respond(response, 500, { __type: 'InternalFailure', message: 'Internal failure' }, requestId);
      },
    );
  });

  return {
    ...engine,
    listen: async ({ port, preferred, host = LOOPBACK } = {}) => {
      const actual = await listenOn(server, host, port === undefined ? { preferred } : { port });
      return `http://${host}:${actual}`;
    },
    close: async () => {
      closed = true;
      const running = [...executions.values()].filter((execution) => execution.status === 'RUNNING');
      for (const execution of running) {
        execution.aborting = true;
        execution.abort();
        dropTokens(execution, new TaskError('States.Runtime', 'The local Step Functions stopped', true));
      }
      await Promise.allSettled(running.map((execution) => execution.done));
      if (server.listening) {
        server.closeIdleConnections();
        const stopped = new Promise<void>((done) => server.close(() => done()));
        const force = setTimeout(() => server.closeAllConnections(), 2_000);
        await stopped;
        clearTimeout(force);
      }
    },
  };
};

export type RunningStepFunctions = RunningEmulator & { engine: LocalStepFunctions };

/** The runtime's view: a RunningEmulator (endpoint, stop) plus the engine, for resuming executions. */
export const start = async (
  options: LocalStepFunctionsOptions & { port?: number; preferredPort?: number },
): Promise<RunningStepFunctions> => {
  const engine = createLocalStepFunctions(options);
  const endpoint = await engine.listen({ port: options.port, preferred: options.preferredPort });
  return {
    name: 'stepfunctions',
    endpoint,
    port: Number(new URL(endpoint).port),
    engine,
    stop: () => engine.close(),
  };
};
