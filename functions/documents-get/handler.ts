import { routeById } from '@contract/routes';
import { NotFoundError } from '@domain/errors';
import { documentView } from '@domain/documents/document';
import { ownDocument } from '@domain/documents/service';
import { callerOf, httpHandler } from '@kit/http';
import { documentRepository } from '@services/documents';
import { userRepository } from '@services/users';

const users = userRepository();
const documents = documentRepository();

/** GET /api/kyc/documents/{document_id}/ (customers): one of their own documents; anyone else's is 404. */
export const handler = httpHandler({ route: routeById('GetDocument') }, async (request) => {
  const user = await users.getBySub(callerOf(request).sub);
  if (!user) throw new NotFoundError('Profile not found.');
  const document = await ownDocument(documents, user, request.pathParameters.document_id ?? '');
  return { statusCode: 200, body: documentView(document) };
});
