import type { EnvName } from '@contract/env';

/** Reads a required environment variable; called at module scope so a missing one fails the cold start. */
export const requireEnv = (name: EnvName): string => {
  const value = process.env[name];
  if (!value) throw new Error(`Missing required environment variable ${name}`);
  return value;
};
