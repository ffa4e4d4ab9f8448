import * as z from 'zod';
import { dateParam } from '@kit/date-fields';

/** GET /api/accounts/{account_number}/statement/?from=&to= (calendar dates, inclusive). */
export const statementQuery = z.object({ from: dateParam.optional(), to: dateParam.optional() });
