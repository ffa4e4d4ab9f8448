import * as z from 'zod';
import { ALERT_STATUSES } from '@domain/fraud/alerts';
import { requiredString } from '@kit/validation';

/** PATCH /api/fraud-alerts/{alert_id}/: the next status and the reviewer's note, nothing else. */
export const updateFraudAlertBody = z.strictObject({
  status: z.enum(ALERT_STATUSES, `Select a valid choice: ${ALERT_STATUSES.join(', ')}.`),
  note: requiredString(1000),
});
