import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Context } from 'aws-lambda';

/*
 * What the local API Gateway and the local Step Functions share: how a handler module is loaded and invoked
 * the way the Lambda Node.js runtime does it (a Context object, async or callback-style handlers).
 */

/** Any Lambda handler: async, or callback-style (three parameters). */
export type AnyLambdaHandler = (
  event: never,
  context: Context,
  callback?: (error?: unknown, result?: unknown) => void,
) => unknown;

export const LOCAL_ACCOUNT_ID = '000000000000';

export interface LambdaContextOptions {
  functionName: string;
  requestId: string;
  /** Epoch ms after which the invocation is cut off (getRemainingTimeInMillis counts down to it). */
  deadline: number;
  region: string;
  accountId?: string;
  memoryLimitInMB?: number;
}

export const createLambdaContext = (options: LambdaContextOptions): Context => {
  const { functionName, requestId, deadline, region } = options;
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
    memoryLimitInMB: String(options.memoryLimitInMB ?? 512),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

/** Calls an async handler, or a callback-style one, and settles once with its result. */
export const invokeHandler = (
  handler: AnyLambdaHandler,
  event: unknown,
  context: Context,
): Promise<unknown> =>
  new Promise((resolvePromise, reject) => {
    const callback = (error?: unknown, result?: unknown) => (error ? reject(error) : resolvePromise(result));
    try {
      const returned = handler(event as never, context, callback);
      if (returned && typeof (returned as Promise<unknown>).then === 'function') {
        (returned as Promise<unknown>).then(resolvePromise, reject);
      } else if (handler.length < 3) {
        resolvePromise(returned);
      }
    } catch (error) {
      reject(error);
    }
  });

/** The handler module is missing: Lambda says the function does not exist. */
export class HandlerNotFoundError extends Error {
  constructor(file: string) {
    super(`Handler module ${file} does not exist`);
    this.name = 'HandlerNotFoundError';
  }
}

/**
 * Imports `<repoRoot>/<path>` (a .ts file under tsx, or whatever jest maps) and returns its `handler`. A
 * dynamic import needs the real file path: aliases are resolved inside the module, not here.
 */
export const importHandler = async <H = AnyLambdaHandler>(path: string, repoRoot: string): Promise<H> => {
  const file = isAbsolute(path) ? path : resolve(repoRoot, path);
  let module: { handler?: unknown; default?: { handler?: unknown } };
  try {
    module = (await import(file)) as typeof module;
  } catch (error) {
    throw existsSync(file) ? error : new HandlerNotFoundError(path);
  }
  const handler = module.handler ?? module.default?.handler;
  if (typeof handler !== 'function') throw new Error(`${path} does not export a handler function`);
  return handler as H;
};
