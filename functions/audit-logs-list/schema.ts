import * as z from 'zod';
import { dateParam } from '@kit/date-fields';
import { pageQuery } from '@kit/pagination';

/** GET /api/audit-logs/: the page, then filters by actor, action, target model and calendar dates. */
export const listAuditLogsQuery = z.object({
  ...pageQuery,
  username: z.string().max(150).optional(),
  customer_id: z.string().max(14).optional(),
  action_type: z.string().max(40).optional(),
  target_model: z.string().max(40).optional(),
  from: dateParam.optional(),
  to: dateParam.optional(),
});
