import * as z from 'zod';

const seq = z.coerce.number({ error: 'A valid integer is required.' }).int().min(1);

/** GET /api/audit-logs/verify/?from_seq=&to_seq= (default: the whole chain). */
export const verifyAuditLogsQuery = z.object({ from_seq: seq.default(1), to_seq: seq.optional() });
