import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { CONSOLE_CONTENT_SECURITY_POLICY, CONSOLE_PATH } from '@contract/console';
import type { StageConfig } from '../config';

export interface ConsoleStackProps extends StackProps {
  readonly config: StageConfig;
  readonly api: RestApi;
  /** The console's build (`npm run build:console` writes web/dist); deployed when it holds index.html. */
  readonly assetsDir: string;
}

/** `/` and `/console` go to the console; any screen path without a file extension gets its index.html. */
const VIEWER_REQUEST = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '${CONSOLE_PATH.slice(0, -1)}') {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '${CONSOLE_PATH}' } } };
  }
  if (uri.startsWith('${CONSOLE_PATH}') && uri.slice(uri.lastIndexOf('/')).indexOf('.') === -1) {
    request.uri = '${CONSOLE_PATH}index.html';
  }
  return request;
}`;

/**
 * The back-office console: its static build in a private S3 bucket read by CloudFront through origin
 * access control, and the API as a second origin under /api/*, so the console calls the API on its own
 * origin (no CORS). API answers are never cached: the cache key carries the Authorization header and
 * no TTL allows more than a second, while responses without Cache-Control are not stored at all.
 */
export class ConsoleStack extends Stack {
  public readonly bucket: Bucket;
  public readonly distribution: Distribution;
  /** False when the build was missing at synth time: the infrastructure is there, the files are not. */
  public readonly deploysAssets: boolean;

  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    const { config, api } = props;

    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are delivered with ACLs.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(config.protectData ? 400 : 30) }],
      removalPolicy: config.removalPolicy,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket itself (CloudFront and the site bucket log into it); logging it into ' +
        'another bucket would only move the question one bucket further.',
    });

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      removalPolicy: config.removalPolicy,
    });

    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `${config.namePrefix} console: CSP and security headers`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: CONSOLE_CONTENT_SECURITY_POLICY, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
      },
    });

    const apiPassThrough = new CachePolicy(this, 'ApiPassThrough', {
      comment: `${config.namePrefix} API through the console's origin: keyed by token, not cached`,
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      // The only way CloudFront forwards Authorization is through the cache key.
      headerBehavior: CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      cookieBehavior: CacheCookieBehavior.none(),
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${config.namePrefix} back-office console`,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        functionAssociations: [
          {
            eventType: FunctionEventType.VIEWER_REQUEST,
            function: new CloudFrontFunction(this, 'ConsolePaths', {
              comment: 'Redirects / to the console and serves its index.html for screen paths',
              runtime: FunctionRuntime.JS_2_0,
              code: FunctionCode.fromInline(VIEWER_REQUEST),
            }),
          },
        ],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new HttpOrigin(`${api.restApiId}.execute-api.${this.region}.${this.urlSuffix}`, {
            // The API stack names its stage after ours (deployOptions.stageName).
            originPath: `/${config.stage}`,
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: apiPassThrough,
          // Everything but Host: API Gateway answers 403 to a Host that is not its own.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Bank staff sign in from wherever they work; access is decided by Cognito groups on every API call, ' +
          'not by country, so a geo restriction would only lock out travelling staff.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'A CloudFront-scope web ACL must live in us-east-1; the API behind /api/* keeps its own regional WAF ' +
          '(rate rules, login limits), and the console itself is static files.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution uses the default *.cloudfront.net certificate, whose TLS floor CloudFront fixes ' +
          '(a minimum protocol version needs a custom domain and certificate, which a bank adds with its own name).',
      },
    );

    const built = join(props.assetsDir, 'index.html');
    this.deploysAssets = existsSync(built);
    if (this.deploysAssets) {
      // Hashed assets first, cached for a year; then index.html, never cached, which points at them.
      const assets = new BucketDeployment(this, 'Assets', {
        sources: [Source.asset(props.assetsDir, { exclude: ['index.html'] })],
        destinationBucket: this.bucket,
        destinationKeyPrefix: CONSOLE_PATH.slice(1),
        exclude: ['index.html'],
        cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
        memoryLimit: 256,
      });
      const index = new BucketDeployment(this, 'Index', {
        sources: [Source.asset(props.assetsDir, { exclude: ['*', '!index.html'] })],
        destinationBucket: this.bucket,
        destinationKeyPrefix: CONSOLE_PATH.slice(1),
        prune: false,
        cacheControl: [CacheControl.noCache()],
        distribution: this.distribution,
        distributionPaths: [`${CONSOLE_PATH}*`],
        memoryLimit: 256,
      });
      index.node.addDependency(assets);
      this.acknowledgeDeploymentHandler();
    } else {
      Annotations.of(this).addWarningV2(
        'core-banking:console-not-built',
        `${built} is missing: the console's bucket and distribution are created without files. Run \`npm run build:console\` before \`cdk deploy\`.`,
      );
    }

    new CfnOutput(this, 'ConsoleUrl', {
      value: `https://${this.distribution.distributionDomainName}${CONSOLE_PATH}`,
      description: 'The back-office console (bank admins and auditors)',
    });
    new CfnOutput(this, 'ConsoleBucket', { value: this.bucket.bucketName });
  }

  /** BucketDeployment's one shared function (created by aws-cdk-lib, not configurable): why nag may pass it. */
  private acknowledgeDeploymentHandler() {
    const handler = this.node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (!handler) throw new Error('BucketDeployment created no handler function');
    const deploymentOnly =
      "aws-cdk-lib's BucketDeployment custom resource, which runs only during `cdk deploy` to copy the " +
      "console's build into its bucket";
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason: `${deploymentOnly}; its runtime is pinned by aws-cdk-lib together with the AWS CLI layer it uses.`,
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: `${deploymentOnly}; the managed policy only lets it write its own CloudWatch logs.`,
      },
      ...[
        'Action::s3:GetObject*',
        'Action::s3:GetBucket*',
        'Action::s3:List*',
        'Action::s3:DeleteObject*',
        'Action::s3:Abort*',
        // The bootstrap's asset bucket, rendered with or without the partition token depending on the flags.
        ...['<AWS::Partition>', 'aws'].map(
          (partition) =>
            `Resource::arn:${partition}:s3:::cdk-hnb659fds-assets-${this.account}-${this.region}/*`,
        ),
        `Resource::<${this.getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*`,
        'Resource::*',
      ].map((finding) => ({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason:
          `${deploymentOnly}: CDK grants it read on the staged asset objects, write and prune on this one bucket, ` +
          'and cloudfront:CreateInvalidation (not resource-scoped by CDK) to invalidate /console/* after a deploy.',
      })),
    );
  }
}
