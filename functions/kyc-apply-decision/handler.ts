import { applyDecision } from '@domain/kyc/review';
import { decidedCaseInput } from '@kit/kyc-inputs';
import { taskHandler } from '@kit/task';
import { identityProvider } from '@services/identity';
import { kycCases } from '@services/kyc';
import { systemClock, userRepository } from '@services/users';

const ports = { users: userRepository(), cases: kycCases(), identity: identityProvider(), now: systemClock };

export const handler = taskHandler({ id: 'KycApplyDecision', input: decidedCaseInput }, async (input) => {
  await applyDecision(ports, input);
  return { applied: input.decision.status };
});
