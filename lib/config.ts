import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ENV, isStage, STAGES, type Stage } from '@contract/env';
import { DEFAULT_ADMIN_USERNAME } from '@contract/first-admin';
import { DOCUMENT_RETENTION, type DocumentRetention } from '@contract/documents';
import { DEFAULT_KYC_SETTINGS, type KycWorkflowSettings } from '@contract/kyc-workflow';
import { emailField, usernameField } from '@kit/fields';

/** The repository root: handler entries, the lock file and tsconfig.json are resolved from here. */
export const REPO_ROOT = join(__dirname, '..');

export const PROJECT_NAME = 'core-banking';

export const parseStage = (value: unknown): Stage => {
  if (!isStage(value)) {
    throw new Error(
      `Unknown stage ${JSON.stringify(value)}: expected one of ${STAGES.join(', ')} (cdk synth -c stage=<stage>)`,
    );
  }
  return value;
};

/**
 * Where the app is deployed. `localstack` (`-c target=localstack`, what `npm run deploy:localstack` passes)
 * leaves out what LocalStack cannot run below its Ultimate plan: the WAF web ACL.
 */
export const DEPLOY_TARGETS = ['aws', 'localstack'] as const;
export type DeployTarget = (typeof DEPLOY_TARGETS)[number];

export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** Everything that differs between stages, decided in one place so stacks stay declarative. */
export interface StageConfig {
  readonly stage: Stage;
  /** `core-banking-<stage>`: prefix of physical names people read in the console. */
  readonly namePrefix: string;
  /** Only dev may lose data on `cdk destroy`. */
  readonly protectData: boolean;
  readonly removalPolicy: RemovalPolicy;
  /** KMS keeps a deleted key recoverable this long (7 to 30 days). */
  readonly keyPendingWindow: Duration;
  readonly logRetention: RetentionDays;
  readonly logLevel: 'DEBUG' | 'INFO';
  /** Stage-wide API Gateway throttle: shared by all clients, a ceiling for cost and blast radius. */
  readonly apiThrottle: Throttle;
  /** Stage-wide throttle of `POST /api/auth/login`; per-IP limits are WAF's and the app's job. */
  readonly loginThrottle: Throttle;
  /** WAF: requests per IP per 5 minutes across the whole API. */
  readonly requestsPerIpPer5Minutes: number;
  /** KYC review timeouts; `-c kycDecisionTimeoutSeconds=120` shortens them for a demo or a test deploy. */
  readonly kyc: KycWorkflowSettings;
  readonly target: DeployTarget;
  /** The regional WAF web ACL in front of the stage (not on LocalStack: WAFv2 is in its Ultimate plan only). */
  readonly webFirewall: boolean;
  /**
   * Browser origins allowed to call the API (`-c allowedOrigins=https://a.example,https://b.example`).
   * Empty (the default): no CORS at all, no preflight methods, no CORS headers.
   */
  readonly allowedOrigins: readonly string[];
  /**
   * The first bank admin, created on deploy (`-c adminEmail=ops@bank.example [-c adminUsername=admin]`),
   * or none: then the deployment has no staff until someone creates them by hand.
   */
  readonly firstAdmin?: FirstAdmin;
  /** KYC decision policy (see KYC_POLICIES). */
  readonly kycPolicy: KycPolicy;
  /** KYC documents: how long objects and replaced versions are kept (src/contract/documents.ts). */
  readonly documentRetention: DocumentRetention;
}

export interface FirstAdmin {
  readonly email: string;
  readonly username: string;
}

export interface KycPolicy {
  /** Approving a case needs a VERIFIED passport, driver's license or national ID (409 otherwise). */
  readonly requireIdentityDocument: boolean;
}

/**
 * Off by default so the seed's own flow (register, then an admin approves) works unchanged; production
 * requires a verified identity document. `-c kycRequireIdentityDocument=true|false` overrides it.
 */
const KYC_POLICIES: Record<Stage, KycPolicy> = {
  dev: { requireIdentityDocument: false },
  staging: { requireIdentityDocument: false },
  prod: { requireIdentityDocument: true },
};

const CONFIGS: Record<
  Stage,
  Omit<
    StageConfig,
    | 'firstAdmin'
    | 'stage'
    | 'namePrefix'
    | 'kyc'
    | 'target'
    | 'webFirewall'
    | 'allowedOrigins'
    | 'kycPolicy'
    | 'documentRetention'
  >
> = {
  dev: {
    protectData: false,
    removalPolicy: RemovalPolicy.DESTROY,
    keyPendingWindow: Duration.days(7),
    logRetention: RetentionDays.ONE_MONTH,
    logLevel: 'DEBUG',
    apiThrottle: { rateLimit: 50, burstLimit: 100 },
    loginThrottle: { rateLimit: 5, burstLimit: 10 },
    requestsPerIpPer5Minutes: 1000,
  },
  staging: {
    protectData: true,
    removalPolicy: RemovalPolicy.RETAIN,
    keyPendingWindow: Duration.days(30),
    logRetention: RetentionDays.THREE_MONTHS,
    logLevel: 'INFO',
    apiThrottle: { rateLimit: 100, burstLimit: 200 },
    loginThrottle: { rateLimit: 10, burstLimit: 20 },
    requestsPerIpPer5Minutes: 1000,
  },
  prod: {
    protectData: true,
    removalPolicy: RemovalPolicy.RETAIN,
    keyPendingWindow: Duration.days(30),
    logRetention: RetentionDays.ONE_YEAR,
    logLevel: 'INFO',
    apiThrottle: { rateLimit: 500, burstLimit: 1000 },
    loginThrottle: { rateLimit: 25, burstLimit: 50 },
    requestsPerIpPer5Minutes: 2000,
  },
};

/** Every stage reviews KYC cases on the contract's clock unless a context value says otherwise. */
const KYC_SETTINGS: Record<Stage, KycWorkflowSettings> = {
  dev: DEFAULT_KYC_SETTINGS,
  staging: DEFAULT_KYC_SETTINGS,
  prod: DEFAULT_KYC_SETTINGS,
};

/** What `cdk synth/deploy -c <key>=<value>` may change without a code edit. */
export interface StageOverrides {
  readonly kyc?: Partial<KycWorkflowSettings>;
  readonly target?: DeployTarget;
  readonly allowedOrigins?: readonly string[];
  readonly firstAdmin?: FirstAdmin;
  readonly kycPolicy?: Partial<KycPolicy>;
}

export const stageConfig = (stage: Stage, overrides: StageOverrides = {}): StageConfig => ({
  stage,
  namePrefix: `${PROJECT_NAME}-${stage}`,
  ...CONFIGS[stage],
  kyc: validKycSettings({ ...KYC_SETTINGS[stage], ...overrides.kyc }),
  target: overrides.target ?? 'aws',
  webFirewall: (overrides.target ?? 'aws') === 'aws',
  allowedOrigins: overrides.allowedOrigins ?? [],
  ...(overrides.firstAdmin ? { firstAdmin: overrides.firstAdmin } : {}),
  kycPolicy: { ...KYC_POLICIES[stage], ...overrides.kycPolicy },
  documentRetention: DOCUMENT_RETENTION[stage],
});

/**
 * The audit consumer's role has a fixed name: the table's resource policy (in the data stack, deployed
 * before the consumer exists) lets that one role, and nobody else, put audit records.
 */
export const auditWriterRoleName = (config: Pick<StageConfig, 'namePrefix'>): string =>
  `${config.namePrefix}-audit-writer`;

/** Context key of the identity-document policy (`-c kycRequireIdentityDocument=true`). */
export const REQUIRE_IDENTITY_DOCUMENT_CONTEXT_KEY = 'kycRequireIdentityDocument';

const parseBoolean = (key: string, value: unknown): boolean => {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`${key} must be true or false, got ${JSON.stringify(value)}`);
};

/** Context key of the deploy target (`-c target=localstack`). */
export const TARGET_CONTEXT_KEY = 'target';

const parseTarget = (value: unknown): DeployTarget => {
  if (!(DEPLOY_TARGETS as readonly unknown[]).includes(value)) {
    throw new Error(
      `Unknown target ${JSON.stringify(value)}: expected one of ${DEPLOY_TARGETS.join(', ')} (-c ${TARGET_CONTEXT_KEY}=<target>)`,
    );
  }
  return value as DeployTarget;
};

/** Context key of the browser origins allowed by CORS (`-c allowedOrigins=https://console.bank.example`). */
export const ALLOWED_ORIGINS_CONTEXT_KEY = 'allowedOrigins';

/**
 * Environment variable carrying the allowed origins (comma-separated) to every route function, set only
 * when origins are configured: with Lambda proxy integrations the function's own response must carry
 * `Access-Control-Allow-Origin` (API Gateway adds it only to preflights and gateway responses).
 */
export const ALLOWED_ORIGINS_ENV = ENV.allowedOrigins;

/**
 * `https://console.bank.example,http://localhost:5173` -> the list of origins. Each must be a bare origin
 * (scheme, host, optional port: no path, no wildcard), because browsers compare it byte for byte.
 */
export const parseAllowedOrigins = (value: unknown): string[] => {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!list) {
    throw new Error(
      `${ALLOWED_ORIGINS_CONTEXT_KEY} must be a comma-separated list of origins, got ${JSON.stringify(value)}`,
    );
  }
  const origins = list.map((item) => String(item).trim()).filter((item) => item !== '');
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
      throw new Error(
        `${ALLOWED_ORIGINS_CONTEXT_KEY}: ${JSON.stringify(origin)} is not an origin like https://console.bank.example ` +
          '(scheme and host, optional port, no path, no trailing slash, no wildcard)',
      );
    }
  }
  return [...new Set(origins)];
};

/** Context keys (`-c key=value`) that override a stage's KYC timeouts. */
export const KYC_CONTEXT_KEYS = {
  decisionTimeoutSeconds: 'kycDecisionTimeoutSeconds',
  escalationTimeoutSeconds: 'kycEscalationTimeoutSeconds',
} as const satisfies Record<keyof KycWorkflowSettings, string>;

/** A Standard workflow execution may run for one year at most. */
const MAX_EXECUTION_SECONDS = 365 * 24 * 3600;
/** kycReviewDefinition adds this margin to the two waits for the execution's own TimeoutSeconds. */
const EXECUTION_MARGIN_SECONDS = 3600;

const positiveSeconds = (key: string, value: unknown): number => {
  // The CLI passes `-c key=120` as the string "120"; tests and cdk.json may pass a number.
  const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 1) {
    throw new Error(`${key} must be a whole number of seconds >= 1, got ${JSON.stringify(value)}`);
  }
  return seconds;
};

const validKycSettings = (settings: KycWorkflowSettings): KycWorkflowSettings => {
  const total =
    settings.decisionTimeoutSeconds + settings.escalationTimeoutSeconds + EXECUTION_MARGIN_SECONDS;
  if (total > MAX_EXECUTION_SECONDS) {
    throw new Error(
      `KYC timeouts add up to ${total} s with the margin; a Standard execution lasts ${MAX_EXECUTION_SECONDS} s at most`,
    );
  }
  return settings;
};

/** Context keys of the first bank admin (`-c adminEmail=ops@bank.example -c adminUsername=admin`). */
export const FIRST_ADMIN_CONTEXT_KEYS = { email: 'adminEmail', username: 'adminUsername' } as const;

const parseFirstAdmin = (email: unknown, username: unknown): FirstAdmin | undefined => {
  if (email === undefined) {
    if (username !== undefined) {
      throw new Error(`${FIRST_ADMIN_CONTEXT_KEYS.username} needs ${FIRST_ADMIN_CONTEXT_KEYS.email} as well`);
    }
    return undefined;
  }
  const parsedEmail = emailField.safeParse(email);
  if (!parsedEmail.success) {
    throw new Error(
      `${FIRST_ADMIN_CONTEXT_KEYS.email} must be an e-mail address, got ${JSON.stringify(email)}`,
    );
  }
  const parsedUsername = usernameField.safeParse(username ?? DEFAULT_ADMIN_USERNAME);
  if (!parsedUsername.success) {
    throw new Error(
      `${FIRST_ADMIN_CONTEXT_KEYS.username}: ${parsedUsername.error.issues.map((issue) => issue.message).join(' ')}`,
    );
  }
  return { email: parsedEmail.data.toLowerCase(), username: parsedUsername.data };
};

/** Reads the stage overrides from the app's context (`-c kycDecisionTimeoutSeconds=120`). */
export const overridesFromContext = (tryGetContext: (key: string) => unknown): StageOverrides => {
  const kyc: Partial<Record<keyof KycWorkflowSettings, number>> = {};
  for (const [setting, key] of Object.entries(KYC_CONTEXT_KEYS) as [keyof KycWorkflowSettings, string][]) {
    const value = tryGetContext(key);
    if (value !== undefined) kyc[setting] = positiveSeconds(key, value);
  }
  const target = tryGetContext(TARGET_CONTEXT_KEY);
  const origins = tryGetContext(ALLOWED_ORIGINS_CONTEXT_KEY);
  const firstAdmin = parseFirstAdmin(
    tryGetContext(FIRST_ADMIN_CONTEXT_KEYS.email),
    tryGetContext(FIRST_ADMIN_CONTEXT_KEYS.username),
  );
  const requireIdentityDocument = tryGetContext(REQUIRE_IDENTITY_DOCUMENT_CONTEXT_KEY);
  return {
    ...(requireIdentityDocument === undefined
      ? {}
      : {
          kycPolicy: {
            requireIdentityDocument: parseBoolean(
              REQUIRE_IDENTITY_DOCUMENT_CONTEXT_KEY,
              requireIdentityDocument,
            ),
          },
        }),
    kyc,
    ...(target === undefined ? {} : { target: parseTarget(target) }),
    ...(origins === undefined ? {} : { allowedOrigins: parseAllowedOrigins(origins) }),
    ...(firstAdmin ? { firstAdmin } : {}),
  };
};

/**
 * The seed's paths end with a slash; API Gateway REST resources cannot, and it routes `/x/` to the
 * resource `/x`, so the resource tree is built from the path without it (`{param}` segments stay).
 */
export const apiResourcePath = (routePath: string): string => {
  const trimmed = routePath.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
};
