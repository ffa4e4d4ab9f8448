import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { kycExecutionName } from '@contract/kyc-workflow';
import type { KycDecision } from '@domain/kyc/case';
import type { KycWorkflow } from '@domain/kyc/ports';

/** One client per container. */
export const sfnClient = new SFNClient({});

const GONE = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

/** The KYC review as a Step Functions execution per user, named after the user (idempotent start). */
export class StepFunctionsKycWorkflow implements KycWorkflow {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(userId: number): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: kycExecutionName(userId),
          input: JSON.stringify({ userId }),
        }),
      );
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ExecutionAlreadyExists')) throw error;
    }
  }

  async resume(taskToken: string, decision: KycDecision): Promise<void> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(decision) }));
    } catch (error) {
      // The wait already ended (resumed by the other path, timed out, or the execution stopped).
      if (!(error instanceof Error && GONE.has(error.name))) throw error;
    }
  }
}
