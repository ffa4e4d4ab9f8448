import { expire } from '@domain/kyc/review';
import { caseInput } from '@kit/kyc-inputs';
import { taskHandler } from '@kit/task';
import { kycCases } from '@services/kyc';
import { systemClock, userRepository } from '@services/users';

const ports = { users: userRepository(), cases: kycCases(), now: systemClock };

/** Returns the case's final decision: the expiry, or an admin's decision that won the race. */
export const handler = taskHandler({ id: 'KycExpire', input: caseInput }, async ({ userId }) =>
  expire(ports, userId),
);
