import * as z from 'zod';
import { awaitDecision } from '@domain/kyc/review';
import { caseInput } from '@kit/kyc-inputs';
import { taskHandler } from '@kit/task';
import { kycCases, kycWorkflow } from '@services/kyc';
import { systemClock, userRepository } from '@services/users';

const ports = { users: userRepository(), cases: kycCases(), workflow: kycWorkflow(), now: systemClock };

const input = caseInput.extend({ taskToken: z.string().min(1), phase: z.enum(['REVIEW', 'ESCALATED']) });

/** Invoked with `.waitForTaskToken`: its return value is ignored; the decision resumes the workflow. */
export const handler = taskHandler({ id: 'KycAwaitDecision', input }, async ({ userId, taskToken }) => {
  await awaitDecision(ports, { userId, taskToken });
  return { waiting: true };
});
