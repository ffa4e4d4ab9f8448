import * as z from 'zod';
import { routeById } from '@contract/routes';
import { NotFoundError } from '@domain/errors';
import { adminDocumentView } from '@domain/documents/document';
import { documentsForReview } from '@domain/documents/service';
import { callerOf, httpHandler } from '@kit/http';
import { logger } from '@kit/logger';
import { pageOf, pageQuery } from '@kit/pagination';
import { userIdParam } from '@kit/path-params';
import { documentRepository, documentStorage, documentViewLog } from '@services/documents';
import { systemClock, userRepository } from '@services/users';

const users = userRepository();
const ports = {
  documents: documentRepository(),
  storage: documentStorage(),
  views: documentViewLog(),
  now: systemClock,
};

/**
 * GET /api/users/{user_id}/documents/ (bank admins): the user's documents; verified ones with a presigned
 * GET valid 5 minutes. Handing out those links is a view, recorded as an audit event first.
 */
export const handler = httpHandler(
  { route: routeById('ListUserDocuments'), query: z.object(pageQuery) },
  async (request) => {
    const user = await users.getById(userIdParam(request.pathParameters));
    if (!user) throw new NotFoundError('User not found.');
    const staffSub = callerOf(request).sub;
    const { page, items } = await documentsForReview(ports, {
      user,
      staffSub,
      ip: request.sourceIp,
      userAgent: request.userAgent ?? null,
      limit: request.params.page_size,
      cursor: request.params.cursor,
    });
    logger.info('KYC documents listed for review', { userId: user.id, documents: items.length });
    return {
      statusCode: 200,
      body: pageOf(
        request,
        page,
        items.map(({ document, view }) => adminDocumentView(document, view)),
      ),
    };
  },
);
