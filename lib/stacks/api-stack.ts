import { dirname } from 'node:path';
import { CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  type CorsOptions,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
  type MethodOptions,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ACCESS_TOKEN_SCOPE } from '@contract/auth';
import { routeById, ROUTES, type RouteDefinition, type RouteId } from '@contract/routes';
import { BUNDLED_ASSET_DIR, SWAGGER_DIST_FILES } from '@openapi/swagger';
import { ALLOWED_ORIGINS_ENV, apiResourcePath, type StageConfig } from '../config';
import { ApiFirewall } from '../constructs/api-firewall';
import { BankingFunction, type BundledFiles, type CapabilityResources } from '../constructs/banking-function';

export interface ApiStackProps extends StackProps {
  readonly config: StageConfig;
  /** Table, keys, user pool, KYC state machine and queues: routes are bound to what their capabilities name. */
  readonly resources: CapabilityResources;
}

/** What API Gateway answers itself, in the seed's `{"error": "..."}` shape. */
const GATEWAY_RESPONSES = [
  {
    id: 'Unauthorized',
    type: ResponseType.UNAUTHORIZED,
    statusCode: '401',
    body: '{"error": "Authentication credentials were not provided."}',
  },
  {
    id: 'AccessDenied',
    type: ResponseType.ACCESS_DENIED,
    statusCode: '403',
    body: '{"error": "You do not have permission to perform this action."}',
  },
  {
    id: 'Throttled',
    type: ResponseType.THROTTLED,
    statusCode: '429',
    body: '{"error": "Request was throttled."}',
  },
  // messageString is already a quoted, escaped JSON string.
  { id: 'Default4xx', type: ResponseType.DEFAULT_4XX, body: '{"error": $context.error.messageString}' },
  // Never leak why the gateway failed.
  { id: 'Default5xx', type: ResponseType.DEFAULT_5XX, body: '{"error": "Internal server error."}' },
] as const;

/** Request headers a browser may send: the bearer token, JSON bodies and the ledger's idempotency key. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key'] as const;

/**
 * CORS preflight for `-c allowedOrigins=...`: exactly those origins, the manifest's methods and the headers
 * above. None configured: no OPTIONS methods at all.
 */
const corsPreflight = (config: StageConfig, routes: readonly RouteDefinition[]): CorsOptions | undefined =>
  config.allowedOrigins.length === 0
    ? undefined
    : {
        allowOrigins: [...config.allowedOrigins],
        allowMethods: [...new Set(routes.map((route) => route.method))].sort(),
        allowHeaders: [...CORS_ALLOWED_HEADERS],
      };

/** Files a route's handler reads at run time, copied into its bundle: Swagger UI's CSS and JavaScript. */
const ROUTE_FILES: Partial<Record<RouteId, () => BundledFiles>> = {
  SwaggerUiAsset: () => ({
    fromDirectory: dirname(require.resolve('swagger-ui-dist/package.json')),
    files: Object.keys(SWAGGER_DIST_FILES),
    toDirectory: BUNDLED_ASSET_DIR,
  }),
};

/**
 * One JSON line per request. No bodies and no headers: they carry PII and tokens. `caller` is the
 * Cognito `sub`, which is an opaque id.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: AccessLogField.contextRequestId(),
    requestTime: AccessLogField.contextRequestTimeEpoch(),
    ip: AccessLogField.contextIdentitySourceIp(),
    caller: AccessLogField.contextAuthorizerClaims('sub'),
    method: AccessLogField.contextHttpMethod(),
    path: AccessLogField.contextPath(),
    resourcePath: AccessLogField.contextResourcePath(),
    status: AccessLogField.contextStatus(),
    latency: AccessLogField.contextResponseLatency(),
    integrationLatency: AccessLogField.contextIntegrationLatency(),
    responseLength: AccessLogField.contextResponseLength(),
    error: AccessLogField.contextErrorMessage(),
    wafStatus: AccessLogField.contextWafResponseCode(),
    xrayTraceId: AccessLogField.contextXrayTraceId(),
  }),
);

/** The REST API: every method comes from the route manifest, each backed by its own function. */
export class ApiStack extends Stack {
  public readonly api: RestApi;
  /** What the route functions are bound against (the same object for every route). */
  public readonly resources: CapabilityResources;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, resources } = props;
    this.resources = resources;

    const login = routeById('LoginUser');
    const loginPath = apiResourcePath(login.path);

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/${config.namePrefix}/access`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });

    const routes: readonly RouteDefinition[] = ROUTES;
    const cors = corsPreflight(config, routes);

    this.api = new RestApi(this, 'RestApi', {
      restApiName: config.namePrefix,
      description: 'Core banking API: registration, KYC, accounts and ledger',
      endpointTypes: [EndpointType.REGIONAL],
      // Logging to CloudWatch needs the account-level API Gateway role; it is kept when the stack goes.
      cloudWatchRole: true,
      deployOptions: {
        stageName: config.stage,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: ACCESS_LOG_FORMAT,
        tracingEnabled: true,
        // Data trace would write request and response bodies (SSNs, tokens) to CloudWatch.
        dataTraceEnabled: false,
        loggingLevel: MethodLoggingLevel.ERROR,
        metricsEnabled: true,
        throttlingRateLimit: config.apiThrottle.rateLimit,
        throttlingBurstLimit: config.apiThrottle.burstLimit,
        methodOptions: {
          [`${loginPath}/${login.method}`]: {
            throttlingRateLimit: config.loginThrottle.rateLimit,
            throttlingBurstLimit: config.loginThrottle.burstLimit,
          },
        },
      },
      // Inherited by every resource, so each path answers OPTIONS (a mock integration, no function).
      ...(cors ? { defaultCorsPreflightOptions: cors } : {}),
    });

    // A browser can read the gateway's own 401/403/429/4XX/5XX only with the header. A gateway response
    // takes a fixed value, so this works for exactly one origin; with several, browsers see a CORS error
    // instead of these bodies (the functions' own answers still carry the header).
    const [onlyOrigin] = config.allowedOrigins.length === 1 ? config.allowedOrigins : [];
    for (const response of GATEWAY_RESPONSES) {
      this.api.addGatewayResponse(response.id, {
        type: response.type,
        statusCode: 'statusCode' in response ? response.statusCode : undefined,
        templates: { 'application/json': response.body },
        ...(onlyOrigin ? { responseHeaders: { 'Access-Control-Allow-Origin': `'${onlyOrigin}'` } } : {}),
      });
    }

    // REST Cognito authorizers accept access tokens only when the method requires a scope.
    const authorizer = new CognitoUserPoolsAuthorizer(this, 'UserPoolAuthorizer', {
      authorizerName: `${config.namePrefix}-user-pool`,
      cognitoUserPools: [resources.userPool],
    });
    const protectedMethod: MethodOptions = {
      authorizationType: AuthorizationType.COGNITO,
      authorizer,
      authorizationScopes: [ACCESS_TOKEN_SCOPE],
    };
    const publicMethod: MethodOptions = { authorizationType: AuthorizationType.NONE };

    for (const route of routes) {
      const fn = new BankingFunction(this, route.id, {
        definition: route,
        config,
        resources,
        description: `${route.method} ${route.path}: ${route.summary}`,
        bundledFiles: ROUTE_FILES[route.id as RouteId]?.(),
      });
      // With a proxy integration the function's answer must carry Access-Control-Allow-Origin itself.
      if (cors) fn.addEnvironment(ALLOWED_ORIGINS_ENV, config.allowedOrigins.join(','));
      // The root route (`/`) maps to the API's root resource: apiResourcePath keeps it as "/".
      const method = this.api.root
        .resourceForPath(apiResourcePath(route.path))
        .addMethod(route.method, new LambdaIntegration(fn, { allowTestInvoke: false }), {
          ...(route.access === 'public' ? publicMethod : protectedMethod),
          operationName: route.id,
        });
      if (route.access === 'public') {
        for (const id of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
          Validations.of(method).acknowledge({
            id,
            reason:
              `${route.method} ${route.path} is public by design (the route manifest says so): ` +
              'registration, sign-in, token refresh and logout come before any token exists, and the ' +
              'documentation is for everyone. WAF rate rules and the stage throttle still apply.',
          });
        }
      }
    }

    for (const preflight of this.api.methods.filter((method) => method.httpMethod === 'OPTIONS')) {
      for (const id of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
        Validations.of(preflight).acknowledge({
          id,
          reason:
            'CORS preflight (only with -c allowedOrigins): browsers send OPTIONS without credentials by ' +
            'specification, so it cannot require a token. It is a mock integration that invokes no function ' +
            'and returns only the configured origins, methods and headers.',
        });
      }
    }

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        "Requests are validated in each function by the handler's own zod schema, which answers the " +
        "seed's field-error shape (`{field: [message]}`) that API Gateway request validators cannot produce.",
    });
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "API Gateway's account-level logging role: AWS's managed policy is the documented one for this " +
          'service role and is maintained with the log delivery it needs.',
      });
    }

    if (config.webFirewall) {
      new ApiFirewall(this, 'Firewall', { config, stageArn: this.api.deploymentStage.stageArn, loginPath });
    } else {
      Validations.of(this.api.deploymentStage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          `Only for -c target=${config.target}: LocalStack runs WAFv2 in its Ultimate plan only, so the local ` +
          'deployment goes without the web ACL. The AWS target always has it (infra tests), and the app ' +
          'itself enforces the login lockout and per-address throttle.',
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the API stage' });
    // api.url ends with a slash; the manifest paths start with one.
    new CfnOutput(this, 'DocsUrl', {
      value: `${this.api.url}${routeById('SwaggerUi').path.slice(1)}`,
      description: 'Swagger UI',
    });
    new CfnOutput(this, 'OpenApiUrl', {
      value: `${this.api.url}${routeById('GetOpenApiDocument').path.slice(1)}`,
      description: 'The OpenAPI 3.1 document',
    });
    new CfnOutput(this, 'ApiId', {
      value: this.api.restApiId,
      description: 'REST API id (LocalStack URLs are built from it)',
    });
    new CfnOutput(this, 'UserPoolId', { value: resources.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: resources.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: resources.table.tableName });
  }
}
