import * as z from 'zod';
import { ALERT_STATUSES } from '@domain/fraud/alerts';
import { SEVERITY_BANDS } from '@domain/fraud/rules';
import { dateParam } from '@kit/date-fields';
import { pageQuery } from '@kit/pagination';

const SEVERITIES = SEVERITY_BANDS.map((band) => band.severity);

/** GET /api/fraud-alerts/: the page, then filters by status, severity, customer and calendar dates. */
export const listFraudAlertsQuery = z.object({
  ...pageQuery,
  status: z.enum(ALERT_STATUSES, `Select a valid choice: ${ALERT_STATUSES.join(', ')}.`).optional(),
  severity: z.enum(SEVERITIES, `Select a valid choice: ${SEVERITIES.join(', ')}.`).optional(),
  customer_id: z
    .string()
    .regex(/^CUST\d{10}$/, 'Enter a valid customer id.')
    .optional(),
  from: dateParam.optional(),
  to: dateParam.optional(),
});
