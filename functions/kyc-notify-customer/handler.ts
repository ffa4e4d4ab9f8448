import { notifyCustomer } from '@domain/kyc/review';
import { decidedCaseInput } from '@kit/kyc-inputs';
import { taskHandler } from '@kit/task';
import { kycCases, notifier } from '@services/kyc';
import { systemClock, userRepository } from '@services/users';

const ports = { users: userRepository(), cases: kycCases(), notifier: notifier(), now: systemClock };

export const handler = taskHandler({ id: 'KycNotifyCustomer', input: decidedCaseInput }, async (input) => {
  await notifyCustomer(ports, input);
  return { notified: 'CUSTOMER' };
});
