import { ENV } from '@contract/env';
import type { EnvName } from '@contract/env';

/** Reads a required environment variable; called at module scope so a missing one fails the cold start. */
export const requireEnv = (name: EnvName): string => {
  const value = process.env[name];
  if (!value) throw new Error(`Missing required environment variable ${name}`);
  return value;
};

/** The stage's KYC policy: does approving a case need a verified identity document? */
export const requireIdentityDocument = (): boolean => {
  const value = requireEnv(ENV.kycRequireIdentityDocument);
  if (value !== 'true' && value !== 'false')
    throw new Error(`${ENV.kycRequireIdentityDocument} must be true or false, got ${value}`);
  return value === 'true';
};
