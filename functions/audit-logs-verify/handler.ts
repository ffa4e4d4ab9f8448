import { routeById } from '@contract/routes';
import { verifyChain } from '@domain/audit/record';
import { httpHandler } from '@kit/http';
import { auditStore } from '@services/audit';
import { verifyAuditLogsQuery as query } from './schema';

const store = auditStore();

/** GET /api/audit-logs/verify/ (auditors): recomputes the hash chain over a range, reports the first broken link. */
export const handler = httpHandler({ route: routeById('VerifyAuditLogs'), query }, async (request) => {
  const { from_seq, to_seq } = request.params;
  const { records, startPrevHash, head } = await store.range(from_seq, to_seq ?? Number.MAX_SAFE_INTEGER);
  const result = verifyChain(records, startPrevHash);
  return {
    statusCode: 200,
    body: {
      valid: result.ok,
      from_seq,
      to_seq: records.at(-1)?.seq ?? from_seq - 1,
      head_seq: head,
      checked: result.checked,
      first_broken_link: result.ok
        ? null
        : { sequence: result.brokenAt.seq, log_id: result.brokenAt.logId, reason: result.brokenAt.reason },
    },
  };
});
