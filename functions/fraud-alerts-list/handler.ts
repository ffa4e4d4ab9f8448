import { routeById } from '@contract/routes';
import { alertView } from '@domain/fraud/alerts';
import { httpHandler } from '@kit/http';
import { pageOf } from '@kit/pagination';
import { fraudStore } from '@services/fraud';
import { listFraudAlertsQuery as query } from './schema';

const alerts = fraudStore();

/** GET /api/fraud-alerts/ (bank admins and auditors): newest first, filtered, in the seed's page shape. */
export const handler = httpHandler({ route: routeById('ListFraudAlerts'), query }, async (request) => {
  const { page_size, cursor, status, severity, customer_id, from, to } = request.params;
  const page = await alerts.list({
    status,
    severity,
    customerId: customer_id,
    from,
    to: to && `${to}T23:59:59Z~`,
    limit: page_size,
    cursor,
  });
  return { statusCode: 200, body: pageOf(request, page, page.items.map(alertView)) };
});
