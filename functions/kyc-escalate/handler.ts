import { escalate } from '@domain/kyc/review';
import { caseInput } from '@kit/kyc-inputs';
import { taskHandler } from '@kit/task';
import { kycCases, notifier } from '@services/kyc';
import { systemClock, userRepository } from '@services/users';

const ports = { users: userRepository(), cases: kycCases(), notifier: notifier(), now: systemClock };

export const handler = taskHandler({ id: 'KycEscalate', input: caseInput }, async ({ userId }) => {
  await escalate(ports, userId);
  return { escalated: true };
});
