import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';

/** What a test needs to reach the running local stack's emulators directly. */
export interface StackState {
  tableName: string;
  userPoolId: string;
  dynamodbEndpoint: string;
  cognitoEndpoint: string;
  sqsEndpoint: string;
  /** Queue URLs by contract id (notifications, streamFailures). */
  queueUrls: Record<string, string>;
}

interface StateFile {
  resources?: { tableName: string; userPoolId: string; queues?: Record<string, { url: string }> };
  running?: { endpoints: { dynamodb: string; cognito: string; sqs: string } };
}

export const stackState = (dataDir: string): StackState => {
  const state = JSON.parse(readFileSync(join(dataDir, 'state.json'), 'utf8')) as StateFile;
  if (!state.resources || !state.running) throw new Error(`No running stack recorded in ${dataDir}`);
  return {
    tableName: state.resources.tableName,
    userPoolId: state.resources.userPoolId,
    dynamodbEndpoint: state.running.endpoints.dynamodb,
    cognitoEndpoint: state.running.endpoints.cognito,
    sqsEndpoint: state.running.endpoints.sqs,
    queueUrls: Object.fromEntries(
      Object.entries(state.resources.queues ?? {}).map(([id, queue]) => [id, queue.url]),
    ),
  };
};

export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export const dynamoClientFor = (dataDir: string) =>
  new DynamoDBClient({
    endpoint: stackState(dataDir).dynamodbEndpoint,
    region: 'us-east-1',
    credentials: localCredentials,
  });

/** Every item of the table as raw JSON text: what someone reading the database would see. */
export const dumpTable = async (dataDir: string): Promise<string> => {
  const client = dynamoClientFor(dataDir);
  const items: unknown[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: stackState(dataDir).tableName,
        ExclusiveStartKey: startKey as never,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  client.destroy();
  return JSON.stringify(items);
};
