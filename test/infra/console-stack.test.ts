import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CONSOLE_CONTENT_SECURITY_POLICY } from '@contract/console';
import { buildApp } from '@lib/app';
import { onlyResource, resourcesOf, synthesize, TEST_ENV } from './support';

/*
 * The back-office console on AWS: a private bucket read by CloudFront through origin access control, the
 * API as a second origin under /api/* (same origin for the browser, no CORS), the build deployed when it
 * exists at synth time.
 */

const dev = synthesize('dev');
const prod = synthesize('prod');
const stack = dev.stacks.console;
if (!stack) throw new Error('the dev app has no console stack');
const template = Template.fromStack(stack);

const distributionConfig = () =>
  onlyResource(template, 'AWS::CloudFront::Distribution').properties.DistributionConfig as {
    DefaultCacheBehavior: Record<string, unknown>;
    CacheBehaviors: Record<string, unknown>[];
    Origins: Record<string, unknown>[];
    Logging: Record<string, unknown>;
    [key: string]: unknown;
  };

describe('the console stack', () => {
  it('is its own stack after the API, only on the AWS target', () => {
    expect(stack.stackName).toBe('CoreBanking-dev-Console');
    expect(stack.dependencies.map((dependency) => dependency.stackName)).toContain('CoreBanking-dev-Api');
    expect(synthesize('dev', { target: 'localstack' }).stacks.console).toBeUndefined();
  });

  it('keeps the site bucket private, encrypted, TLS-only, versioned and logged', () => {
    const site = onlyResource(template, 'AWS::S3::Bucket', { VersioningConfiguration: Match.anyValue() });
    expect(site.properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { LogFilePrefix: 'site/' },
    });
    const policies = resourcesOf(template, 'AWS::S3::BucketPolicy');
    const statements = Object.values(policies).flatMap(
      (policy) => (policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        // Only CloudFront, and only this distribution (origin access control), reads the objects.
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Condition: {
            StringEquals: { 'AWS:SourceArn': expect.anything() },
          },
        }),
      ]),
    );
  });

  it('reads the bucket through origin access control, not a public website endpoint', () => {
    const control = onlyResource(template, 'AWS::CloudFront::OriginAccessControl').properties;
    expect(control.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const s3Origin = distributionConfig().Origins.find((origin) => 'S3OriginConfig' in origin);
    expect(s3Origin).toMatchObject({ OriginAccessControlId: expect.anything() });
    expect(
      template.findResources('AWS::S3::Bucket', { Properties: { WebsiteConfiguration: Match.anyValue() } }),
    ).toEqual({});
  });

  it('serves the console over HTTPS with the same security headers as npm start', () => {
    const config = distributionConfig();
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: expect.anything() }],
    });
    expect(config).toMatchObject({
      HttpVersion: 'http2and3',
      PriceClass: 'PriceClass_100',
      Logging: { Prefix: 'cloudfront/' },
    });
    const headers = onlyResource(template, 'AWS::CloudFront::ResponseHeadersPolicy').properties
      .ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, unknown> };
    expect(headers.SecurityHeadersConfig).toMatchObject({
      ContentSecurityPolicy: { ContentSecurityPolicy: CONSOLE_CONTENT_SECURITY_POLICY, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
    });
    const code = String(onlyResource(template, 'AWS::CloudFront::Function').properties.FunctionCode);
    expect(code).toContain("request.uri = '/console/index.html'");
    expect(code).toContain("location: { value: '/console/' }");
  });

  it('sends /api/* to the API stage over TLS 1.2, uncached, with the token but without the Host header', () => {
    const config = distributionConfig();
    expect(config.CacheBehaviors).toHaveLength(1);
    const api = config.CacheBehaviors[0] as Record<string, unknown>;
    expect(api).toMatchObject({
      PathPattern: '/api/*',
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      // The managed AllViewerExceptHostHeader policy.
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    });
    const apiOrigin = config.Origins.find((origin) => origin.Id === api.TargetOriginId);
    expect(apiOrigin).toMatchObject({
      OriginPath: '/dev',
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
    expect(JSON.stringify(apiOrigin?.DomainName)).toContain('.execute-api.us-east-1.');
    const cache = onlyResource(template, 'AWS::CloudFront::CachePolicy').properties
      .CachePolicyConfig as Record<string, unknown>;
    expect(cache).toMatchObject({
      MinTTL: 0,
      DefaultTTL: 0,
      MaxTTL: 1,
      ParametersInCacheKeyAndForwardedToOrigin: {
        HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization'] },
        QueryStringsConfig: { QueryStringBehavior: 'all' },
        CookiesConfig: { CookieBehavior: 'none' },
      },
    });
  });

  it('deploys the build: hashed assets cached for a year, then index.html uncached, invalidating /console/*', () => {
    expect(stack.deploysAssets).toBe(true);
    const deployments = Object.values(resourcesOf(template, 'Custom::CDKBucketDeployment'));
    expect(deployments).toHaveLength(2);
    const assets = deployments.find((deployment) => deployment.Properties?.Prune === true);
    const index = deployments.find((deployment) => deployment.Properties?.Prune === false);
    expect(assets?.Properties).toMatchObject({
      DestinationBucketKeyPrefix: 'console/',
      Exclude: ['index.html'],
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(assets?.Properties).not.toHaveProperty('DistributionId');
    expect(index?.Properties).toMatchObject({
      DestinationBucketKeyPrefix: 'console/',
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionId: expect.anything(),
      DistributionPaths: ['/console/*'],
    });
  });

  it('outputs the console URL', () => {
    template.hasOutput('ConsoleUrl', {
      Value: {
        'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.anyValue(), 'DomainName'] }, '/console/']],
      },
    });
  });

  it('keeps the buckets outside dev when the stack goes', () => {
    const prodTemplate = Template.fromStack(prod.stacks.console as NonNullable<typeof prod.stacks.console>);
    for (const bucket of Object.values(prodTemplate.findResources('AWS::S3::Bucket'))) {
      expect(bucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  it('still synthesizes without a build, deploying no files and saying so', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const built = buildApp(app, { stage: 'dev', env: TEST_ENV, consoleAssetsDir: '/nonexistent/web/dist' });
    const unbuilt = built.console;
    if (!unbuilt) throw new Error('no console stack');
    expect(unbuilt.deploysAssets).toBe(false);
    const withoutBuild = Template.fromStack(unbuilt);
    expect(withoutBuild.findResources('Custom::CDKBucketDeployment')).toEqual({});
    expect(Object.keys(withoutBuild.findResources('AWS::CloudFront::Distribution'))).toHaveLength(1);
    Annotations.fromStack(unbuilt).hasWarning('*', Match.stringLikeRegexp('npm run build:console'));
  });
});
