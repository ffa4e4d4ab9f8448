import { routeById } from '@contract/routes';
import { NotFoundError } from '@domain/errors';
import { documentView } from '@domain/documents/document';
import { requestUpload } from '@domain/documents/service';
import { callerOf, httpHandler } from '@kit/http';
import { logger } from '@kit/logger';
import { documentRepository, documentStorage } from '@services/documents';
import { piiVault } from '@services/pii';
import { systemClock, userRepository } from '@services/users';
import { requestUploadBody } from './schema';

const ports = {
  users: userRepository(),
  documents: documentRepository(),
  storage: documentStorage(),
  vault: piiVault(),
  now: systemClock,
};

/** POST /api/kyc/documents/ (customers, while their KYC is pending): a presigned POST for one document. */
export const handler = httpHandler(
  { route: routeById('RequestDocumentUpload'), body: requestUploadBody },
  async (request) => {
    const user = await ports.users.getBySub(callerOf(request).sub);
    if (!user) throw new NotFoundError('Profile not found.');
    const { document, upload, expiresAt } = await requestUpload(ports, user, {
      documentType: request.body.document_type,
      documentNumber: request.body.document_number,
      contentType: request.body.content_type,
      sizeBytes: request.body.size_bytes,
    });
    logger.info('KYC document registered', { documentId: document.documentId, userId: user.id });
    return {
      statusCode: 201,
      body: { ...documentView(document), upload, expires_at: expiresAt },
    };
  },
);
