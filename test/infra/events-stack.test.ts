import { Match } from 'aws-cdk-lib/assertions';
import { SCHEDULED_JOBS } from '@contract/jobs';
import { STREAM_CONSUMERS } from '@contract/stream-consumers';
import { resourcesOf, synthesize } from './support';

const app = synthesize('dev');
const template = app.events;

describe('stream consumers', () => {
  it.each(STREAM_CONSUMERS.map((consumer) => [consumer.id, consumer] as const))(
    '%s reads the table stream with its batch, window, filter, retries, bisection and partial responses',
    (_id, consumer) => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: Match.stringLikeRegexp(`^${consumer.id}`) },
        EventSourceArn: Match.anyValue(),
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: consumer.batchSize,
        MaximumBatchingWindowInSeconds: consumer.maxBatchingWindowSeconds,
        MaximumRetryAttempts: consumer.retryAttempts,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        FilterCriteria: {
          Filters: consumer.filterPatterns.map((pattern) => ({ Pattern: JSON.stringify(pattern) })),
        },
        DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      });
    },
  );

  it('sends exhausted batches to the stream-failures queue of the messaging stack', () => {
    const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(STREAM_CONSUMERS.length);
    for (const mapping of mappings) {
      expect(JSON.stringify(mapping.Properties?.DestinationConfig)).toContain('StreamFailuresQueue');
    }
  });

  it('gives each consumer its own function on Node 22 / arm64', () => {
    for (const consumer of STREAM_CONSUMERS) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp(`^Stream consumer ${consumer.id}`),
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
      });
    }
  });
});

describe('scheduled jobs', () => {
  it.each(SCHEDULED_JOBS.map((job) => [job.id, job] as const))('%s runs on its schedule', (_id, job) => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: job.schedule,
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${job.id}`), 'Arn'] } })],
    });
  });
});

describe('audit writer', () => {
  it('runs under the fixed role name the table policy names, and no other function does', () => {
    const named = Object.entries(resourcesOf(template, 'AWS::IAM::Role')).filter(([, role]) =>
      String(role.Properties?.RoleName ?? '').endsWith('-audit-writer'),
    );
    expect(named.map(([, role]) => role.Properties?.RoleName)).toEqual(['core-banking-dev-audit-writer']);
    expect(named[0]?.[0]).toMatch(/^AuditTrailRole/);
  });

  it('may put and condition-check AUDIT# items only: no update, no delete, no other key', () => {
    const writes = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties?.Roles).includes('AuditTrailRole'))
      .flatMap(
        (policy) => (policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
      )
      .filter((statement) =>
        /dynamodb:(Put|Update|Delete|BatchWrite)/.test(JSON.stringify(statement.Action)),
      );
    expect(writes).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:ConditionCheckItem', 'dynamodb:PutItem'],
        Resource: expect.anything(),
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
      },
    ]);
  });
});
