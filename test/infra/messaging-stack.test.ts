import { QUEUES } from '@contract/queues';
import { onlyResource, resourcesOf, synthesize } from './support';

const { messaging } = synthesize('dev');
const DAY = 24 * 3600;
const spec = QUEUES.notifications;

const queue = () =>
  onlyResource(messaging, 'AWS::SQS::Queue', { QueueName: `core-banking-dev-${spec.name}` });
const deadLetterQueue = () =>
  onlyResource(messaging, 'AWS::SQS::Queue', { QueueName: `core-banking-dev-${spec.name}-dlq` });

describe('messaging stack: the notifications queue', () => {
  it('has one queue and one dead-letter queue per contract queue', () => {
    messaging.resourceCountIs('AWS::SQS::Queue', Object.keys(QUEUES).length * 2);
  });

  it('keeps messages and hides them in flight as the contract says', () => {
    expect(queue().properties).toMatchObject({
      VisibilityTimeout: spec.visibilityTimeoutSeconds,
      MessageRetentionPeriod: spec.retentionDays * DAY,
    });
  });

  it(`moves a message to its dead-letter queue after ${spec.maxReceiveCount} receives`, () => {
    expect(queue().properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueue().logicalId, 'Arn'] },
      maxReceiveCount: spec.maxReceiveCount,
    });
  });

  it('keeps dead letters for the contract retention and redrives them nowhere', () => {
    expect(deadLetterQueue().properties).toMatchObject({
      MessageRetentionPeriod: spec.deadLetterRetentionDays * DAY,
    });
    expect(deadLetterQueue().properties.RedrivePolicy).toBeUndefined();
  });

  it.each([
    ['queue', queue],
    ['dead-letter queue', deadLetterQueue],
  ])('encrypts the %s at rest with SQS-managed keys', (_name, find) => {
    expect(find().properties.SqsManagedSseEnabled).toBe(true);
  });

  it.each([
    ['queue', queue],
    ['dead-letter queue', deadLetterQueue],
  ])('refuses any request to the %s that is not over TLS', (_name, find) => {
    const { logicalId } = find();
    const policies = Object.values(resourcesOf(messaging, 'AWS::SQS::QueuePolicy')).filter((policy) =>
      JSON.stringify(policy.Properties?.Queues).includes(`"${logicalId}"`),
    );
    expect(policies).toHaveLength(1);
    expect((policies[0]?.Properties?.PolicyDocument as { Statement: unknown[] }).Statement).toContainEqual({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'sqs:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      Resource: { 'Fn::GetAtt': [logicalId, 'Arn'] },
    });
  });
});
