import * as z from 'zod';
import { routeById } from '@contract/routes';
import { isVerifiedIdentityDocument, queueDocumentView } from '@domain/documents/document';
import { preCheckSummary } from '@domain/kyc/case';
import { httpHandler } from '@kit/http';
import { pageOf, pageQuery } from '@kit/pagination';
import { documentRepository } from '@services/documents';
import { kycCases } from '@services/kyc';
import { userRepository } from '@services/users';

const cases = kycCases();
const users = userRepository();
const documents = documentRepository();

/** GET /api/kyc/pending/ (bank admins): open cases, oldest first, with their pre-check outcomes. */
export const handler = httpHandler(
  { route: routeById('ListPendingKyc'), query: z.object(pageQuery) },
  async (request) => {
    const page = await cases.listOpen({ limit: request.params.page_size, cursor: request.params.cursor });
    const [profiles, caseDocuments] = await Promise.all([
      Promise.all(page.items.map((kycCase) => users.getBySub(kycCase.sub))),
      Promise.all(page.items.map((kycCase) => documents.listAll(kycCase.customerId))),
    ]);
    const results = page.items.map((kycCase, index) => {
      const user = profiles[index];
      return {
        user_id: kycCase.userId,
        customer_id: kycCase.customerId,
        username: user?.username ?? null,
        first_name: user?.firstName ?? null,
        last_name: user?.lastName ?? null,
        kyc_status: user?.kycStatus ?? null,
        case_status: kycCase.status,
        opened_at: kycCase.openedAt,
        escalated_at: kycCase.escalatedAt,
        pre_check_summary: preCheckSummary(kycCase.preChecks),
        pre_checks: kycCase.preChecks ?? [],
        failure: kycCase.failure,
        identity_document_verified: (caseDocuments[index] ?? []).some(isVerifiedIdentityDocument),
        documents: (caseDocuments[index] ?? [])
          .filter((document) => document.status !== 'SUPERSEDED')
          .map(queueDocumentView),
      };
    });
    return { statusCode: 200, body: pageOf(request, page, results) };
  },
);
