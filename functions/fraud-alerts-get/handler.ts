import { routeById } from '@contract/routes';
import { alertView } from '@domain/fraud/alerts';
import { httpHandler } from '@kit/http';
import { fraudStore } from '@services/fraud';

const alerts = fraudStore();

/** GET /api/fraud-alerts/{alert_id}/ (bank admins and auditors). */
export const handler = httpHandler({ route: routeById('GetFraudAlert') }, async ({ pathParameters }) => ({
  statusCode: 200,
  body: alertView(await alerts.require(pathParameters.alert_id ?? '')),
}));
