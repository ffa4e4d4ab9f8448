import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join, parse, resolve } from 'node:path';
import { KYC_WORKFLOW_TASKS, type KycWorkflowSettings } from '@contract/kyc-workflow';
import { DOCUMENT_CHECK, documentsCorsXml } from '@contract/documents';
import { ROUTES } from '@contract/routes';
import { QUEUES } from '@contract/queues';
import { STREAM_CONSUMERS } from '@contract/stream-consumers';
import { createCognitoAuthorizer } from './authorizer';
import { CONSOLE_PREFIX, consoleSite, ensureConsoleBuilt } from './console';
import { LOCAL_NAMES, bootstrap } from './bootstrap';
import * as cognito from './emulators/cognito';
import * as dynamodb from './emulators/dynamodb';
import * as kms from './emulators/kms';
import * as s3 from './emulators/s3';
import * as sqs from './emulators/sqs';
import * as stepfunctions from './emulators/stepfunctions';
import { assertPortFree, type RunningEmulator } from './emulators/support';
import { applyEnv, runtimeEnv } from './env';
import { createGateway, type Gateway } from './gateway';
import { createObjectEventFeeder } from './object-events';
import { createStreamPoller, type StreamPoller } from './streams';
import {
  REPO_ROOT,
  STATE_FILE,
  isAlive,
  readState,
  writeState,
  type EmulatorName,
  type LocalState,
} from './state';
import { kycStateMachine, resolveKycSettings, resumeOpenKycCases } from './workflows';

export interface RuntimeOptions {
  port: number;
  host: string;
  dataDir: string;
  fresh: boolean;
  logLevel?: string;
  /** Print the emulators' own output. */
  verbose?: boolean;
  /** Progress lines (start-up steps and timings). */
  print?: (line: string) => void;
  /** KYC workflow timeouts (default DEFAULT_KYC_SETTINGS); short ones let tests reach the timeout paths. */
  kyc?: Partial<KycWorkflowSettings>;
  /** The KYC policy: approval needs a verified identity document (off by default, like dev in AWS). */
  requireIdentityDocument?: boolean;
  /** Browser origins allowed to POST documents to the local bucket (its CORS configuration; none by default). */
  allowedOrigins?: readonly string[];
}

export interface Runtime {
  baseUrl: string;
  state: LocalState;
  stop(): Promise<void>;
}

const SUBDIRS = {
  dynamodb: 'dynamodb',
  cognito: 'cognito',
  kms: 'kms',
  streams: 'streams',
  s3: 's3',
} as const;

/** Each stream consumer's position per shard (see local/streams.ts). */
export const STREAM_POSITIONS_FILE = join(SUBDIRS.streams, 'positions.json');

/**
 * `--fresh` deletes the data dir, so it must be one of ours: absent, empty, or holding our state file or
 * emulator folders. A typo like `--data-dir . --fresh` then fails instead of wiping a repository.
 */
const wipeDataDir = async (dataDir: string): Promise<void> => {
  if (!existsSync(dataDir)) return;
  const entries = await readdir(dataDir);
  const ours = new Set<string>([STATE_FILE, ...Object.values(SUBDIRS)]);
  const foreign = entries.filter((entry) => !ours.has(entry) && !entry.startsWith(`${STATE_FILE}.`));
  if (dataDir === parse(dataDir).root || dataDir === REPO_ROOT || foreign.length > 0) {
    throw new Error(
      `Refusing to wipe ${dataDir}: it does not look like a local runtime data dir (found ${foreign.slice(0, 3).join(', ')}).`,
    );
  }
  await rm(dataDir, { recursive: true, force: true });
};

const commandLine = async (pid: number): Promise<string | undefined> => {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
};

/**
 * A previous run killed with SIGKILL cannot stop its Java child (Node children exit with their IPC
 * channel). Reap it if it is still there and still ours: checked on its command line, where /proc exists.
 */
const reapOrphans = async (state: LocalState | undefined, dataDir: string, print: (line: string) => void) => {
  const running = state?.running;
  if (!running) return;
  if (running.pid !== process.pid && isAlive(running.pid)) {
    const cmd = await commandLine(running.pid);
    if (cmd === undefined || /node|tsx/.test(cmd)) {
      throw new Error(
        `A local stack (pid ${running.pid}) already runs on ${dataDir} at ${running.baseUrl}. Stop it first.`,
      );
    }
  }
  const pid = running.children.dynamodb;
  if (pid && isAlive(pid)) {
    const cmd = await commandLine(pid);
    if (cmd?.includes('DynamoDBLocal') && cmd.includes(dataDir)) {
      print(`  reaping DynamoDB Local (pid ${pid}) left over by a crashed run`);
      process.kill(pid, 'SIGTERM');
      for (let wait = 0; wait < 50 && isAlive(pid); wait += 1) await new Promise((r) => setTimeout(r, 100));
    }
  }
};

const kycTaskModulesMissing = () =>
  [...new Set(KYC_WORKFLOW_TASKS.map((task) => task.handler))].filter(
    (handler) => !existsSync(resolve(REPO_ROOT, handler)),
  );

const elapsed = (started: number) => `${Math.round(performance.now() - started)} ms`.padStart(8);

export const startRuntime = async (options: RuntimeOptions): Promise<Runtime> => {
  const print = options.print ?? ((line: string) => console.log(line));
  const dataDir = resolve(options.dataDir);
  const startedAll = performance.now();
  const emulators: RunningEmulator[] = [];
  let gateway: Gateway | undefined;
  let workflows: RunningEmulator | undefined;
  let streams: StreamPoller | undefined;
  let stopped = false;
  // S3 ObjectCreated -> the document check, as the bucket notification does in AWS.
  const objectEvents = createObjectEventFeeder({
    repoRoot: REPO_ROOT,
    bucket: LOCAL_NAMES.documentsBucket,
    log: print,
  });

  const stopAll = async () => {
    if (stopped) return;
    stopped = true;
    await gateway?.close();
    // In-flight batches finish (or are abandoned unchecked) while DynamoDB is still up.
    await streams?.stop().catch(() => undefined);
    await objectEvents.stop().catch(() => undefined);
    // Executions first (pending waits just end), while the emulators their tasks call are still up.
    await workflows?.stop().catch(() => undefined);
    await Promise.allSettled(emulators.map((emulator) => emulator.stop()));
  };

  // The SDK clients of the emulator probes and the bootstrap would otherwise warn about Node 20 at once.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  print(`Starting the local stack (data: ${dataDir})`);
  try {
    const kycSettings = resolveKycSettings(options.kyc);
    if (options.host && options.port !== 0) await assertPortFree(options.port, options.host);
    if (options.fresh) {
      await wipeDataDir(dataDir);
      print(`  wiped ${dataDir}`);
    }
    // Encrypted PII, the KMS key material and the user pool live here: owner only.
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const previous = await readState(dataDir);
    await reapOrphans(previous, dataDir, print);

    const onOutput = (name: string) =>
      options.verbose ? (line: string) => print(`  [${name}] ${line}`) : undefined;
    const ports = previous?.ports ?? {};
    const timedStart = async (name: string, run: () => Promise<RunningEmulator>, track = true) => {
      const started = performance.now();
      const emulator = await run();
      if (track) emulators.push(emulator);
      const pid = emulator.pid ? `pid ${emulator.pid}` : 'in-process';
      print(`  ${name.padEnd(13)} ${emulator.endpoint.padEnd(24)} ${elapsed(started)}  (${pid})`);
      return emulator;
    };

    // Built (only when stale) while the emulators boot; a failed build leaves the API running without it.
    const consoleBuild = ensureConsoleBuilt();
    // Started together: DynamoDB Local (Java) dominates, the others finish while it boots.
    const results = await Promise.allSettled([
      timedStart('dynamodb', () =>
        dynamodb.start({
          dataDir: join(dataDir, SUBDIRS.dynamodb),
          preferredPort: ports.dynamodb,
          onOutput: onOutput('dynamodb'),
        }),
      ),
      timedStart('cognito', () =>
        cognito.start({
          dataDir: join(dataDir, SUBDIRS.cognito),
          preferredPort: ports.cognito,
          onOutput: onOutput('cognito'),
        }),
      ),
      timedStart('sqs', () => sqs.start({ preferredPort: ports.sqs, onOutput: onOutput('sqs') })),
      timedStart('kms', () => kms.start({ dataDir: join(dataDir, SUBDIRS.kms), preferredPort: ports.kms })),
      // The documents bucket from the contract's definition (name, CORS); its events feed the check.
      timedStart('s3', () =>
        s3.start({
          dataDir: join(dataDir, SUBDIRS.s3),
          preferredPort: ports.s3,
          onOutput: onOutput('s3'),
          buckets: [
            { name: LOCAL_NAMES.documentsBucket, corsXml: documentsCorsXml(options.allowedOrigins ?? []) },
          ],
          onEvent: (event) => objectEvents.deliver(event),
        }),
      ),
      // In-process; handler modules are imported only when a task first runs, after the env is applied.
      // Not tracked with the emulators: stopAll stops it first, while its tasks can still reach them.
      timedStart(
        'stepfunctions',
        async () =>
          (workflows = await stepfunctions.start({
            stateMachines: [kycStateMachine(kycSettings)],
            repoRoot: REPO_ROOT,
            preferredPort: ports.stepfunctions,
          })),
        false,
      ),
    ]);
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
    const [ddb, idp, queue, keys, objects, sfn] = results.map(
      (result) => (result as PromiseFulfilledResult<RunningEmulator>).value,
    ) as [
      RunningEmulator,
      RunningEmulator,
      RunningEmulator,
      RunningEmulator,
      RunningEmulator,
      stepfunctions.RunningStepFunctions,
    ];
    print(
      `  kyc review    decision timeout ${kycSettings.decisionTimeoutSeconds} s, escalation timeout ${kycSettings.escalationTimeoutSeconds} s`,
    );
    const endpoints: Record<EmulatorName, string> = {
      dynamodb: ddb.endpoint,
      cognito: idp.endpoint,
      sqs: queue.endpoint,
      kms: keys.endpoint,
      s3: objects.endpoint,
    };

    const bootstrapped = performance.now();
    const report = await bootstrap(endpoints, previous?.resources);
    for (const step of report.steps) {
      print(`  ${step.name.padEnd(34)} ${step.outcome.padEnd(8)} ${`${step.ms} ms`.padStart(8)}`);
    }
    const before = previous?.resources;
    if (before && report.resources.piiKeyArn !== before.piiKeyArn) {
      print(
        '  warning: the PII key was recreated; values encrypted under the old key cannot be read (use --fresh).',
      );
    }
    if (before && report.resources.userPoolId !== before.userPoolId) {
      print(
        '  warning: the user pool was recreated; users in the table have no Cognito identity (use --fresh).',
      );
    }
    print(`  bootstrap total${elapsed(bootstrapped).padStart(36)}`);

    const checkDlq = await objectEvents.attachDeadLetterQueue(
      endpoints.sqs,
      LOCAL_NAMES.documentCheckDeadLetterQueue,
    );
    report.resources.documentCheckDeadLetterQueueUrl = checkDlq;
    const requireIdentityDocument = options.requireIdentityDocument ?? false;
    print(
      `  ${'documents'.padEnd(13)} bucket ${LOCAL_NAMES.documentsBucket}, ObjectCreated -> ${DOCUMENT_CHECK.id} (DLQ ${LOCAL_NAMES.documentCheckDeadLetterQueue}); approval ${requireIdentityDocument ? 'REQUIRES' : 'does not require'} a verified identity document`,
    );

    // Before any handler module is imported: they create their SDK clients at module scope from this.
    applyEnv(
      runtimeEnv(report.resources, { ...endpoints, stepfunctions: sfn.endpoint }, options.logLevel, {
        requireIdentityDocument,
      }),
    );

    const missing = ROUTES.filter((route) => !existsSync(resolve(REPO_ROOT, route.handler)));
    for (const route of missing)
      print(`  warning: ${route.id} -> ${route.handler} does not exist yet (502 until it does)`);

    gateway = createGateway({
      routes: ROUTES,
      authorizer: createCognitoAuthorizer({
        cognitoEndpoint: endpoints.cognito,
        userPoolId: report.resources.userPoolId,
        userPoolClientId: report.resources.userPoolClientId,
      }),
      repoRoot: REPO_ROOT,
      site: consoleSite(),
    });
    const baseUrl = await gateway.listen(options.port, options.host);
    print(`  ${'gateway'.padEnd(13)} ${baseUrl.padEnd(24)} ${ROUTES.length} routes`);
    const built = await consoleBuild;
    // Checked while the emulators booted: only a build (or its failure) is worth a duration.
    const took = built.outcome === 'up to date' ? '' : ` (${built.ms} ms)`;
    print(
      `  ${'console'.padEnd(13)} ${`${baseUrl}${CONSOLE_PREFIX}`.padEnd(24)} ${built.outcome}: ${built.detail}${took}`,
    );

    const missingTasks = kycTaskModulesMissing();
    if (missingTasks.length) {
      print(
        `  warning: KYC task modules missing (their states fail until they exist): ${missingTasks.join(', ')}`,
      );
    }
    // Waiting executions were lost with the previous process: start them again from the open cases.
    const resumeStarted = performance.now();
    const resumed = await resumeOpenKycCases(sfn.engine, REPO_ROOT);
    const resumeLine =
      resumed.outcome === 'skipped'
        ? `skipped (${resumed.note})`
        : `${resumed.started} of ${resumed.open} open cases resumed${resumed.note ? ` - ${resumed.note}` : ''}`;
    print(`  ${'kyc resume'.padEnd(13)} ${resumeLine} ${elapsed(resumeStarted)}`);

    // The table's stream, fed to the stream consumers as their event source mappings would.
    const streamsStarted = performance.now();
    const failureQueue = report.resources.queues?.streamFailures;
    streams = createStreamPoller({
      consumers: STREAM_CONSUMERS,
      endpoint: endpoints.dynamodb,
      tableName: report.resources.tableName,
      checkpointFile: join(dataDir, STREAM_POSITIONS_FILE),
      repoRoot: REPO_ROOT,
      failureQueue: failureQueue ? { url: failureQueue.url, endpoint: endpoints.sqs } : undefined,
    });
    const polling = await streams.start();
    print(
      `  ${'streams'.padEnd(13)} ${STREAM_CONSUMERS.length} consumers, on failure -> ${failureQueue ? LOCAL_NAMES.queue(QUEUES.streamFailures.name) : 'nowhere (no queue)'} ${elapsed(streamsStarted)}`,
    );
    for (const consumer of polling.consumers) {
      const definition = STREAM_CONSUMERS.find((candidate) => candidate.id === consumer.id);
      const missingModule = definition && !existsSync(resolve(REPO_ROOT, definition.handler));
      print(
        `    ${consumer.id.padEnd(13)} ${consumer.settings}, from ${consumer.from}${missingModule ? ` - ${definition.handler} missing: records wait` : ''}`,
      );
      print(`    ${''.padEnd(13)} filter ${consumer.filter}`);
    }

    const state: LocalState = {
      version: 1,
      resources: report.resources,
      ports: {
        dynamodb: ddb.port,
        cognito: idp.port,
        sqs: queue.port,
        kms: keys.port,
        s3: objects.port,
        stepfunctions: sfn.port,
        gateway: Number(new URL(baseUrl).port),
      },
      running: {
        pid: process.pid,
        startedAt: new Date().toISOString(),
        baseUrl,
        endpoints,
        stepfunctions: sfn.endpoint,
        children: Object.fromEntries(emulators.filter((e) => e.pid).map((e) => [e.name, e.pid])),
      },
    };
    await writeState(dataDir, state);
    print(
      `  started in ${Math.round(performance.now() - startedAll)} ms, RSS ${Math.round(process.memoryUsage.rss() / 1048576)} MiB (gateway process)`,
    );

    return {
      baseUrl,
      state,
      stop: async () => {
        await stopAll();
        // The stack is gone but its resources stay: keep them (and the ports) for the next start.
        await writeState(dataDir, { ...state, running: undefined });
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
