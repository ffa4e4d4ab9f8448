import * as z from 'zod';

/** The KYC workflow's state: `{ userId }` plus what earlier states added. */
export const caseInput = z.object({ userId: z.number().int().positive() });

export const decisionInput = z.object({
  status: z.enum(['APPROVED', 'REJECTED']),
  reason: z.string().nullable().default(null),
  decidedBy: z.number().int().nullable().default(null),
  decidedAt: z.string(),
});

export const decidedCaseInput = caseInput.extend({ decision: decisionInput });
