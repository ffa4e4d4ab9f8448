import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { isStage, STAGES, type Stage } from '@contract/env';

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
}

const CONFIGS: Record<Stage, Omit<StageConfig, 'stage' | 'namePrefix'>> = {
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

export const stageConfig = (stage: Stage): StageConfig => ({
  stage,
  namePrefix: `${PROJECT_NAME}-${stage}`,
  ...CONFIGS[stage],
});

/**
 * The seed's paths end with a slash; API Gateway REST resources cannot, and it routes `/x/` to the
 * resource `/x`, so the resource tree is built from the path without it (`{param}` segments stay).
 */
export const apiResourcePath = (routePath: string): string => {
  const trimmed = routePath.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
};
