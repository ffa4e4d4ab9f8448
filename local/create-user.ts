import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ROLES, type Role } from '@contract/roles';
import { applyEnv, runtimeEnv } from './env';
import { DEFAULT_DATA_DIR, isAlive, readState, statePath } from './state';

/*
 * `npm run create-user -- --username U --password P --email E --role BANK_ADMIN`: the seed's createsuperuser,
 * run against the RUNNING local stack (its endpoints and resources come from <dataDir>/state.json).
 */

interface Flags {
  username: string;
  password: string;
  email: string;
  role: Role;
  firstName?: string;
  lastName?: string;
  dataDir: string;
}

const program = new Command()
  .name('npm run create-user --')
  .description('Create a user (staff or customer) in the running local stack.')
  .requiredOption('--username <username>', 'login name')
  .requiredOption('--password <password>', 'initial password (same rules as registration)')
  .requiredOption('--email <email>', 'e-mail address')
  .addOption(new Option('--role <role>', 'role (Cognito group)').choices(ROLES).makeOptionMandatory())
  .option('--first-name <name>', 'first name')
  .option('--last-name <name>', 'last name')
  .option('--data-dir <dir>', 'data dir of the running stack', DEFAULT_DATA_DIR)
  .parse();

/** Field errors of a ValidationError (`{ field: [messages] }`), without depending on its class. */
const describe = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const fields = (error as { fields?: unknown }).fields;
  if (fields && typeof fields === 'object') {
    const details = Object.entries(fields as Record<string, unknown>)
      .map(
        ([field, messages]) => `${field}: ${Array.isArray(messages) ? messages.join(' ') : String(messages)}`,
      )
      .join('; ');
    if (details) return `${error.message} (${details})`;
  }
  return error.message;
};

const main = async (): Promise<void> => {
  const flags = program.opts<Flags>();
  const dataDir = resolve(flags.dataDir);
  const state = await readState(dataDir);
  const running = state?.running;
  if (!state?.resources || !running || !isAlive(running.pid)) {
    throw new Error(
      `No local stack is running on ${dataDir} (${statePath(dataDir)}). Start it with \`npm start\`.`,
    );
  }
  applyEnv(runtimeEnv(state.resources, { ...running.endpoints, stepfunctions: running.stepfunctions }));

  // Imported only now: the service builds its SDK clients at module scope from the environment just set.
  const { createUser } = await import('@services/create-user.js');
  const result = await createUser({
    username: flags.username,
    password: flags.password,
    email: flags.email,
    role: flags.role,
    ...(flags.firstName === undefined ? {} : { firstName: flags.firstName }),
    ...(flags.lastName === undefined ? {} : { lastName: flags.lastName }),
  });
  console.log(JSON.stringify(result));
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`create-user: ${describe(error)}`);
    process.exit(1);
  },
);
