import { Match } from 'aws-cdk-lib/assertions';
import { ACCESS_TOKEN_SCOPE } from '@contract/auth';
import { ENV } from '@contract/env';
import { ROUTES, routeById, type FunctionDefinition, type RouteDefinition } from '@contract/routes';
import { INDEX_NAMES } from '@contract/table';
import { stageConfig } from '@lib/config';
import { BankingFunction } from '@lib/constructs/banking-function';
import {
  environmentOf,
  expectedActions,
  expectedEnv,
  functionOf as deployedFunction,
  grantedActions,
  unique,
} from './capabilities';
import { functionStatements, onlyResource, resourcesOf, synthesize } from './support';

const { api, stacks } = synthesize('dev');
const routes: readonly RouteDefinition[] = ROUTES;
const protectedRoutes = routes.filter((route) => route.access !== 'public');
const publicRoutes = routes.filter((route) => route.access === 'public');

const functionOf = (route: RouteDefinition) => deployedFunction(api, route);

/** Full resource path of every API Gateway resource, rebuilt from the PathPart/ParentId chain. */
const resourcePaths = (): Record<string, string> => {
  const resources = resourcesOf(api, 'AWS::ApiGateway::Resource');
  const pathOf = (logicalId: string): string => {
    const properties = resources[logicalId]?.Properties as { PathPart: string; ParentId: { Ref?: string } };
    const parent = properties.ParentId.Ref;
    return `${parent ? pathOf(parent) : ''}/${properties.PathPart}`;
  };
  return Object.fromEntries(Object.keys(resources).map((logicalId) => [logicalId, pathOf(logicalId)]));
};

const methodOf = (route: RouteDefinition) =>
  onlyResource(api, 'AWS::ApiGateway::Method', { OperationName: route.id });

describe('api stack: one function per route', () => {
  it('has exactly one function per manifest route', () => {
    api.resourceCountIs('AWS::Lambda::Function', routes.length);
  });

  it.each(routes.map((route) => [route.id, route] as const))(
    '%s runs Node.js 22 on arm64 with the house defaults',
    (_id, route) => {
      const { properties } = functionOf(route);
      expect(properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 512,
        Timeout: 10,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: expect.stringMatching(new RegExp(`^${route.id}LogGroup`)) } },
      });
    },
  );

  it.each(routes.map((route) => [route.id, route] as const))(
    '%s gets exactly the env vars of its capabilities',
    (_id, route) => {
      const variables = environmentOf(api, route);
      expect(Object.keys(variables).sort()).toEqual(expectedEnv(route));
      expect(variables).toMatchObject({
        STAGE: 'dev',
        LOG_LEVEL: 'DEBUG',
        NODE_OPTIONS: '--enable-source-maps',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      });
    },
  );

  it.each(routes.map((route) => [route.id, route] as const))(
    '%s is granted exactly the actions of its capabilities',
    (_id, route) => {
      expect(grantedActions(api, route)).toEqual(expectedActions(route));
    },
  );

  it('lets table readers query the indexes by name, never with a resource wildcard', () => {
    const reader = functionOf(routeById('GetProfile'));
    const statement = functionStatements(api, reader.logicalId).find((s) =>
      s.Action.includes('dynamodb:Query'),
    );
    const resources = JSON.stringify(statement?.Resource);
    for (const indexName of INDEX_NAMES) expect(resources).toContain(`/index/${indexName}`);
    expect(resources).not.toContain('*');
  });

  it.each(routes.map((route) => [route.id, route] as const))(
    '%s writes logs to its own log group only (no AWS managed policy)',
    (_id, route) => {
      const { logicalId: logGroupId } = onlyResource(api, 'AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/core-banking-dev-${route.id}`,
      });
      const logs = functionStatements(api, functionOf(route).logicalId).filter((statement) =>
        statement.Action.some((action) => action.startsWith('logs:')),
      );
      expect(logs).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        },
      ]);
      const role = functionOf(route).properties.Role as { 'Fn::GetAtt': [string, string] };
      const roleResource = resourcesOf(api, 'AWS::IAM::Role')[role['Fn::GetAtt'][0]];
      expect(roleResource?.Properties?.ManagedPolicyArns).toBeUndefined();
    },
  );

  it('sends each log to a log group with a month of retention in dev', () => {
    for (const route of routes) {
      api.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/core-banking-dev-${route.id}`,
        RetentionInDays: 30,
      });
    }
  });
});

describe('api stack: workflow and notification bindings', () => {
  // No route of today's manifest declares these capabilities. A probe bound exactly like the routes (same
  // stack, same resources object) shows what such a route gets; the per-route tests above already check
  // that a route's env and actions follow its capabilities.
  const probe: FunctionDefinition = {
    id: 'CapabilityProbe',
    handler: routeById('GetProfile').handler,
    capabilities: ['workflow:start', 'workflow:decide', 'notifications:send'],
    summary: 'Test-only probe of the capability bindings',
  };
  const probed = synthesize('dev', {}, (built) => {
    new BankingFunction(built.api, probe.id, {
      definition: probe,
      config: stageConfig('dev'),
      resources: built.api.resources,
    });
  });
  const statements = () =>
    functionStatements(probed.api, deployedFunction(probed.api, probe).logicalId).filter(
      (statement) => !statement.Action.every((action) => action.startsWith('xray:')),
    );
  const importOf = (stack: string, output: RegExp) => ({
    'Fn::ImportValue': expect.stringMatching(new RegExp(`^CoreBanking-dev-${stack}:${output.source}`)),
  });

  it('points KYC_STATE_MACHINE_ARN and the states grants at the workflow stack state machine', () => {
    const stateMachine = importOf('Workflow', /ExportsOutputRefKycReview/);
    expect(environmentOf(probed.api, probe)[ENV.kycStateMachineArn]).toEqual(stateMachine);
    const states = statements().filter((statement) => statement.Action.some((a) => a.startsWith('states:')));
    expect(unique(states.flatMap((statement) => statement.Action))).toEqual(
      unique(['states:StartExecution', 'states:SendTaskSuccess', 'states:SendTaskFailure']),
    );
    for (const statement of states) expect(statement.Resource).toEqual(stateMachine);
  });

  it('binds the manifest routes that start or resume a review to that same state machine', () => {
    const stateMachine = importOf('Workflow', /ExportsOutputRefKycReview/);
    const workflowRoutes = routes.filter((route) =>
      route.capabilities.some((capability) => capability.startsWith('workflow:')),
    );
    for (const route of workflowRoutes) {
      expect(environmentOf(api, route)[ENV.kycStateMachineArn]).toEqual(stateMachine);
      const states = functionStatements(api, functionOf(route).logicalId).filter((statement) =>
        statement.Action.some((action) => action.startsWith('states:')),
      );
      expect(states.length).toBeGreaterThan(0);
      for (const statement of states) expect(statement.Resource).toEqual(stateMachine);
    }
  });

  it('points NOTIFICATIONS_QUEUE_URL and sqs:SendMessage at the messaging stack queue', () => {
    expect(environmentOf(probed.api, probe)[ENV.notificationsQueueUrl]).toEqual(
      importOf('Messaging', /ExportsOutputRefNotificationsQueue/),
    );
    const sqs = statements().filter((statement) => statement.Action.includes('sqs:SendMessage'));
    expect(sqs).toHaveLength(1);
    expect(sqs[0]?.Action).toEqual(['sqs:SendMessage']);
    expect(sqs[0]?.Resource).toEqual(importOf('Messaging', /ExportsOutputFnGetAttNotificationsQueue.*Arn/));
  });
});

describe('api stack: methods from the manifest', () => {
  it('builds the resource tree from the seed paths without trailing slashes', () => {
    const paths = Object.values(resourcePaths()).sort();
    const expected = unique(
      routes.flatMap((route) =>
        route.path
          .replace(/\/$/, '')
          .split('/')
          .slice(1)
          .map((_part, index, parts) => `/${parts.slice(0, index + 1).join('/')}`),
      ),
    );
    expect(paths).toEqual(expected);
    expect(paths.every((path) => !path.endsWith('/'))).toBe(true);
  });

  it.each(routes.map((route) => [route.id, route] as const))(
    '%s is served at its path and method',
    (_id, route) => {
      const { properties } = methodOf(route);
      expect(properties.HttpMethod).toBe(route.method);
      if (route.path === '/') {
        // The API root is the REST API's root resource, not a child of it.
        const { logicalId: restApiId } = onlyResource(api, 'AWS::ApiGateway::RestApi');
        expect(properties.ResourceId).toEqual({ 'Fn::GetAtt': [restApiId, 'RootResourceId'] });
      } else {
        const resourceId = (properties.ResourceId as { Ref: string }).Ref;
        expect(resourcePaths()[resourceId]).toBe(route.path.replace(/\/$/, ''));
      }
      expect(properties.Integration).toMatchObject({
        Type: 'AWS_PROXY',
        Uri: {
          'Fn::Join': ['', expect.arrayContaining([{ 'Fn::GetAtt': [functionOf(route).logicalId, 'Arn'] }])],
        },
      });
    },
  );

  it.each(protectedRoutes.map((route) => [route.id, route] as const))(
    '%s requires a Cognito access token',
    (_id, route) => {
      const { logicalId: authorizerId } = onlyResource(api, 'AWS::ApiGateway::Authorizer');
      expect(methodOf(route).properties).toMatchObject({
        AuthorizationType: 'COGNITO_USER_POOLS',
        AuthorizationScopes: [ACCESS_TOKEN_SCOPE],
        AuthorizerId: { Ref: authorizerId },
      });
    },
  );

  it.each(protectedRoutes.map((route) => [route.id, route] as const))(
    '%s may record the calls it refuses as security events (SECURITY# items only)',
    (_id, route) => {
      expect(route.capabilities).toContain('security-events:record');
      const role = (functionOf(route).properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      api.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: role }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Effect: 'Allow',
              Action: 'dynamodb:PutItem',
              Resource: Match.anyValue(),
              Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SECURITY#*'] } },
            },
          ]),
        },
      });
    },
  );

  it.each(publicRoutes.map((route) => [route.id, route] as const))('%s is public', (_id, route) => {
    const { properties } = methodOf(route);
    expect(properties.AuthorizationType).toBe('NONE');
    expect(properties.AuthorizerId).toBeUndefined();
    expect(properties.AuthorizationScopes).toBeUndefined();
  });

  it('authorizes against the stack user pool', () => {
    api.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
      ProviderARNs: [{ 'Fn::ImportValue': Match.stringLikeRegexp('^CoreBanking-dev-Auth:.*UserPool') }],
    });
  });
});

describe('api stack: stage', () => {
  const stage = () => onlyResource(api, 'AWS::ApiGateway::Stage').properties;

  it('is named after the stage and traced with X-Ray', () => {
    expect(stage()).toMatchObject({ StageName: 'dev', TracingEnabled: true });
  });

  it('writes one JSON access log line per request, without bodies', () => {
    const setting = stage().AccessLogSetting as { DestinationArn: unknown; Format: string };
    const format = JSON.parse(setting.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      caller: '$context.authorizer.claims.sub',
      method: '$context.httpMethod',
      path: '$context.path',
      status: '$context.status',
      latency: '$context.responseLatency',
    });
    expect(setting.Format).not.toMatch(/\$input|body|requestOverride|header/i);
    const { logicalId } = onlyResource(api, 'AWS::Logs::LogGroup', {
      LogGroupName: '/aws/apigateway/core-banking-dev/access',
    });
    expect(JSON.stringify(setting.DestinationArn)).toContain(logicalId);
  });

  it('never logs data traces and throttles the stage', () => {
    expect(stage().MethodSettings).toContainEqual(
      expect.objectContaining({
        ResourcePath: '/*',
        HttpMethod: '*',
        DataTraceEnabled: false,
        ThrottlingRateLimit: 50,
        ThrottlingBurstLimit: 100,
      }),
    );
    for (const setting of stage().MethodSettings as { DataTraceEnabled?: boolean }[]) {
      expect(setting.DataTraceEnabled).not.toBe(true);
    }
  });

  it('throttles POST /api/auth/login harder than the stage', () => {
    const settings = stage().MethodSettings as Record<string, unknown>[];
    const login = settings.find((s) => s.ResourcePath === '/~1api~1auth~1login' && s.HttpMethod === 'POST');
    const all = settings.find((s) => s.ResourcePath === '/*');
    expect(login).toBeDefined();
    expect(login?.ThrottlingRateLimit).toBeLessThan(all?.ThrottlingRateLimit as number);
    expect(login?.ThrottlingBurstLimit).toBeLessThan(all?.ThrottlingBurstLimit as number);
  });
});

describe('api stack: gateway responses in the seed error shape', () => {
  it.each([
    ['UNAUTHORIZED', '401', 'Authentication credentials were not provided.'],
    ['ACCESS_DENIED', '403', 'You do not have permission to perform this action.'],
    ['DEFAULT_5XX', undefined, 'Internal server error.'],
  ])('%s answers {"error": ...}', (type, statusCode, message) => {
    const { properties } = onlyResource(api, 'AWS::ApiGateway::GatewayResponse', { ResponseType: type });
    expect(properties.StatusCode).toBe(statusCode);
    const template = (properties.ResponseTemplates as Record<string, string>)['application/json'];
    expect(JSON.parse(template ?? '')).toEqual({ error: message });
  });

  it('DEFAULT_4XX passes the gateway message through as the error string', () => {
    api.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_4XX',
      ResponseTemplates: { 'application/json': '{"error": $context.error.messageString}' },
    });
  });
});

describe('api stack: WAF', () => {
  const webAcl = () => onlyResource(api, 'AWS::WAFv2::WebACL');
  type Rule = { Name: string; Statement: { RateBasedStatement?: Record<string, unknown> }; Action?: unknown };
  const rule = (name: string) => (webAcl().properties.Rules as Rule[]).find((r) => r.Name === name);

  it('is regional and allows by default', () => {
    expect(webAcl().properties).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
  });

  it('rate-limits login attempts per IP at the lowest limit WAF allows, over one minute', () => {
    const login = rule('LoginRatePerIp');
    expect(login?.Action).toEqual({ Block: expect.anything() });
    expect(login?.Statement.RateBasedStatement).toMatchObject({
      AggregateKeyType: 'IP',
      Limit: 10,
      EvaluationWindowSec: 60,
      ScopeDownStatement: {
        OrStatement: {
          Statements: expect.arrayContaining([
            {
              ByteMatchStatement: expect.objectContaining({
                FieldToMatch: { UriPath: {} },
                PositionalConstraint: 'STARTS_WITH',
                SearchString: '/api/auth/login',
              }),
            },
            {
              ByteMatchStatement: expect.objectContaining({ SearchString: '/dev/api/auth/login' }),
            },
          ]),
        },
      },
    });
  });

  it('rate-limits every IP across the whole API', () => {
    expect(rule('RatePerIp')?.Statement.RateBasedStatement).toEqual({
      AggregateKeyType: 'IP',
      Limit: 1000,
      EvaluationWindowSec: 300,
    });
  });

  it('is associated with the API stage', () => {
    const stageId = onlyResource(api, 'AWS::ApiGateway::Stage').logicalId;
    const { properties } = onlyResource(api, 'AWS::WAFv2::WebACLAssociation');
    expect(properties.WebACLArn).toEqual({ 'Fn::GetAtt': [webAcl().logicalId, 'Arn'] });
    expect(JSON.stringify(properties.ResourceArn)).toContain(`{"Ref":"${stageId}"}`);
  });
});

describe('api stack: outputs', () => {
  it.each(['ApiUrl', 'DocsUrl', 'OpenApiUrl', 'ApiId', 'UserPoolId', 'UserPoolClientId', 'TableName'])(
    'exports %s',
    (name) => {
      api.hasOutput(name, { Value: Match.anyValue() });
    },
  );

  it('points DocsUrl and OpenApiUrl below the stage URL (<ApiUrl>api/docs/swagger/)', () => {
    const outputs = api.findOutputs('*') as Record<string, { Value: { 'Fn::Join': [string, unknown[]] } }>;
    const parts = (name: string) => outputs[name]?.Value['Fn::Join'][1] ?? [];
    const stageUrl = parts('ApiUrl');
    expect(stageUrl.at(-1)).toBe('/');
    expect(parts('DocsUrl')).toEqual([...stageUrl.slice(0, -1), '/api/docs/swagger/']);
    expect(parts('OpenApiUrl')).toEqual([...stageUrl.slice(0, -1), '/api/openapi.json']);
  });

  it('points TableName at the data stack table', () => {
    api.hasOutput('TableName', {
      Value: { 'Fn::ImportValue': Match.stringLikeRegexp(`^${stacks.data.stackName}:.*Table`) },
    });
  });
});
