import { routeById } from '@contract/routes';
import { auditView } from '@domain/audit/record';
import { httpHandler } from '@kit/http';
import { pageOf } from '@kit/pagination';
import { auditStore } from '@services/audit';
import { listAuditLogsQuery as query } from './schema';

const store = auditStore();

/** GET /api/audit-logs/ (auditors): newest first, filtered, in the seed's page shape. */
export const handler = httpHandler({ route: routeById('ListAuditLogs'), query }, async (request) => {
  const p = request.params;
  const page = await store.list({
    limit: p.page_size,
    cursor: p.cursor,
    username: p.username,
    customerId: p.customer_id,
    action: p.action_type,
    target: p.target_model,
    from: p.from && `${p.from}T00:00:00Z`,
    to: p.to && `${p.to}T23:59:59Z`,
  });
  return { statusCode: 200, body: pageOf(request, page, page.items.map(auditView)) };
});
