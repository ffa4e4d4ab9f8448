import * as z from 'zod';
import { caseInput } from '@kit/kyc-inputs';
import { taskHandler } from '@kit/task';
import { kycCases } from '@services/kyc';

const cases = kycCases();

const input = caseInput.extend({
  failure: z
    .object({ Error: z.string().default('Unknown'), Cause: z.string().optional() })
    .default({ Error: 'Unknown' }),
});

/** Keeps the failed step's error name on the case (not its cause: it may quote customer data). */
export const handler = taskHandler({ id: 'KycRecordFailure', input }, async ({ userId, failure }) => {
  await cases.recordFailure(userId, failure.Error, new Date());
  return { recorded: true };
});
