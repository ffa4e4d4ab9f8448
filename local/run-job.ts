import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { SCHEDULED_JOBS } from '@contract/jobs';
import { applyEnv, runtimeEnv } from './env';
import { createLambdaContext, importHandler, invokeHandler } from './lambda';
import { DEFAULT_DATA_DIR, REPO_ROOT, isAlive, readState, statePath } from './state';

/*
 * `npm run job -- InterestRun [--day 2026-12-01]`: runs a scheduled job's handler once against the RUNNING
 * local stack, as its EventBridge rule would (a day may be given to run a past or future date).
 */
const program = new Command()
  .name('npm run job --')
  .description('Run a scheduled job once against the running local stack.')
  .addOption(
    new Option('--job <id>', 'the job').choices(SCHEDULED_JOBS.map((job) => job.id)).default('InterestRun'),
  )
  .option('--day <YYYY-MM-DD>', 'the day to run for (default: today, UTC)')
  .option('--data-dir <dir>', 'data dir of the running stack', DEFAULT_DATA_DIR)
  .parse();

const main = async (): Promise<void> => {
  const flags = program.opts<{ job: string; day?: string; dataDir: string }>();
  const dataDir = resolve(flags.dataDir);
  const state = await readState(dataDir);
  const running = state?.running;
  if (!state?.resources || !running || !isAlive(running.pid)) {
    throw new Error(
      `No local stack is running on ${dataDir} (${statePath(dataDir)}). Start it with \`npm start\`.`,
    );
  }
  applyEnv(runtimeEnv(state.resources, { ...running.endpoints, stepfunctions: running.stepfunctions }));
  const job = SCHEDULED_JOBS.find((candidate) => candidate.id === flags.job);
  if (!job) throw new Error(`Unknown job ${flags.job}`);
  const day = flags.day ?? new Date().toISOString().slice(0, 10);
  const handler = await importHandler(job.handler, REPO_ROOT);
  const result = await invokeHandler(
    handler,
    { day },
    createLambdaContext({
      functionName: job.id,
      requestId: randomUUID(),
      deadline: Date.now() + 60_000,
      region: 'us-east-1',
    }),
  );
  console.log(JSON.stringify(result));
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`job: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
