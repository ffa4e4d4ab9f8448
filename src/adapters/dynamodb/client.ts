import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/*
 * One client per Lambda container (module scope), never per request. Endpoints come from the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables, so the same code talks to AWS or to local emulators.
 */
export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
