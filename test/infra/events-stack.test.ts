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
