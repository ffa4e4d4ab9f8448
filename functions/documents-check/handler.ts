import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { S3Event } from 'aws-lambda';
import { checkArrival } from '@domain/documents/service';
import { refreshIdentityDocumentCheck } from '@domain/kyc/review';
import { requireIdentityDocument } from '@kit/config';
import { describeError, logger } from '@kit/logger';
import { documentRepository, documentStorage } from '@services/documents';
import { kycCases } from '@services/kyc';
import { systemClock } from '@services/users';

const ports = {
  documents: documentRepository(),
  storage: documentStorage(),
  cases: kycCases(),
  now: systemClock,
  requireIdentityDocument: requireIdentityDocument(),
};

/** S3 URL-encodes object keys in notifications (spaces as `+`). */
const objectKey = (encoded: string) => decodeURIComponent(encoded.replace(/\+/g, ' '));

/**
 * S3 ObjectCreated under `kyc/` (invoked asynchronously): checks each new object. Idempotent per event;
 * an error fails the invocation, which Lambda retries and then sends to the dead-letter queue.
 */
export const handler = middy<S3Event, void>()
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use({
    onError: async (request) => {
      logger.error('Document check failed', describeError(request.error));
    },
  })
  .handler(async (event) => {
    for (const record of event.Records ?? []) {
      if (!record.eventName?.startsWith('ObjectCreated:')) continue;
      const result = await checkArrival(ports, {
        key: objectKey(record.s3.object.key),
        version: record.s3.object.versionId ?? null,
        at: new Date(record.eventTime),
      });
      if ('document' in result) {
        logger.info('KYC document checked', {
          documentId: result.document.documentId,
          userId: result.document.userId,
          status: result.outcome,
          duplicateFile: result.document.duplicateFile,
        });
        await refreshIdentityDocumentCheck(ports, result.document);
      } else if ('documentId' in result) {
        logger.info('Document already checked: event repeated', { documentId: result.documentId });
      } else {
        logger.warn('Object event skipped', { why: result.why });
      }
    }
  });
