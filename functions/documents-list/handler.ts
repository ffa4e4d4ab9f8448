import * as z from 'zod';
import { routeById } from '@contract/routes';
import { NotFoundError } from '@domain/errors';
import { documentView } from '@domain/documents/document';
import { callerOf, httpHandler } from '@kit/http';
import { pageOf, pageQuery } from '@kit/pagination';
import { documentRepository } from '@services/documents';
import { userRepository } from '@services/users';

const users = userRepository();
const documents = documentRepository();

/** GET /api/kyc/documents/ (customers): their own documents, newest first. */
export const handler = httpHandler(
  { route: routeById('ListDocuments'), query: z.object(pageQuery) },
  async (request) => {
    const user = await users.getBySub(callerOf(request).sub);
    if (!user) throw new NotFoundError('Profile not found.');
    const page = await documents.list(user.customerId, {
      limit: request.params.page_size,
      cursor: request.params.cursor,
    });
    return { statusCode: 200, body: pageOf(request, page, page.items.map(documentView)) };
  },
);
