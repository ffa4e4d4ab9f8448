import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';

export interface ApiFirewallProps {
  readonly config: StageConfig;
  /** ARN of the API Gateway stage to protect. */
  readonly stageArn: string;
  /** Resource path of the login endpoint, without trailing slash (e.g. `/api/auth/login`). */
  readonly loginPath: string;
}

/** The lowest limit WAF accepts for a rate-based rule. */
export const WAF_MIN_RATE_LIMIT = 10;
/** The shortest evaluation window WAF offers. */
export const WAF_MIN_EVALUATION_WINDOW_SECONDS = 60;

const THROTTLED_BODY_KEY = 'throttled';

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  // Samples keep full request headers, bearer tokens included, for hours: not for a bank's console.
  sampledRequestsEnabled: false,
});

const blockAsThrottled: CfnWebACL.RuleActionProperty = {
  block: { customResponse: { responseCode: 429, customResponseBodyKey: THROTTLED_BODY_KEY } },
};

const pathStartsWith = (prefix: string): CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'STARTS_WITH',
    searchString: prefix,
    // `//api/auth/./login` must not slip past the prefix match.
    textTransformations: [
      { priority: 0, type: 'URL_DECODE' },
      { priority: 1, type: 'NORMALIZE_PATH' },
    ],
  },
});

/** Regional WAF web ACL in front of the REST API stage: per-IP rate limits and AWS's common rules. */
export class ApiFirewall extends Construct {
  public readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    const { config, loginPath } = props;

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `${config.namePrefix}-api`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${config.namePrefix}-api`),
      customResponseBodies: {
        [THROTTLED_BODY_KEY]: {
          contentType: 'APPLICATION_JSON',
          content: '{"error": "Request was throttled."}',
        },
      },
      rules: [
        {
          // The seed allows 5 login attempts per minute per IP; the app enforces exactly that itself.
          // WAF cannot go below 10 per minute, so this is the coarse outer fence that sheds floods
          // before they cost a Lambda invocation.
          name: 'LoginRatePerIp',
          priority: 0,
          action: blockAsThrottled,
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: WAF_MIN_RATE_LIMIT,
              evaluationWindowSec: WAF_MIN_EVALUATION_WINDOW_SECONDS,
              scopeDownStatement: {
                // On the execute-api endpoint WAF sees the stage prefix (`/dev/api/...`); behind a custom
                // domain it does not. Match both.
                orStatement: {
                  statements: [pathStartsWith(loginPath), pathStartsWith(`/${config.stage}${loginPath}`)],
                },
              },
            },
          },
          visibilityConfig: visibility('LoginRatePerIp'),
        },
        {
          name: 'RatePerIp',
          priority: 1,
          action: blockAsThrottled,
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: config.requestsPerIpPer5Minutes,
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: visibility('RatePerIp'),
        },
        {
          name: 'AWSManagedRulesCommonRuleSet',
          priority: 2,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' },
          },
          visibilityConfig: visibility('AWSManagedRulesCommonRuleSet'),
        },
      ],
    });

    new CfnWebACLAssociation(this, 'StageAssociation', {
      resourceArn: props.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
