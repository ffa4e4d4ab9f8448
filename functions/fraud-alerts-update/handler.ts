import { routeById } from '@contract/routes';
import { alertView } from '@domain/fraud/alerts';
import { reviewAlert } from '@domain/fraud/review';
import { callerOf, httpHandler } from '@kit/http';
import { fraudStore } from '@services/fraud';
import { ledger } from '@services/ledger';
import { updateFraudAlertBody as body } from './schema';

const alerts = fraudStore();
const ports = { alerts, ledger: ledger(), now: () => new Date() };

/** PATCH /api/fraud-alerts/{alert_id}/ (bank admins): investigate, resolve or dismiss; closing releases the hold. */
export const handler = httpHandler(
  { route: routeById('UpdateFraudAlert'), body, unknownKeyMessage: 'This field cannot be updated.' },
  async (request) => {
    const alert = await reviewAlert(ports, {
      alertId: request.pathParameters.alert_id ?? '',
      status: request.body.status,
      note: request.body.note,
      adminSub: callerOf(request).sub,
    });
    return { statusCode: 200, body: alertView(alert) };
  },
);
