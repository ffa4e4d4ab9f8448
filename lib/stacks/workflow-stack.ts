import { ArnFormat, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { KYC_WORKFLOW_TASKS, kycReviewDefinition, type KycTaskId } from '@contract/kyc-workflow';
import type { StageConfig } from '../config';
import { BankingFunction, type CapabilityResources } from '../constructs/banking-function';

export interface WorkflowStackProps extends StackProps {
  readonly config: StageConfig;
  /** Everything but the state machine, which this stack creates. */
  readonly resources: Omit<CapabilityResources, 'kycStateMachineArn'>;
}

/**
 * The KYC review: one function per task of the contract's manifest and the Standard state machine built
 * from the contract's Amazon States Language definition (the same one the local runtime executes).
 */
export class WorkflowStack extends Stack {
  public readonly stateMachine: StateMachine;
  public readonly taskFunctions: Record<KycTaskId, BankingFunction>;

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    const { config } = props;

    // KycAwaitDecision resumes the machine (workflow:decide) while the machine invokes KycAwaitDecision:
    // referencing the machine from the function would be a cycle. A fixed name gives a known ARN instead.
    const stateMachineName = `${config.namePrefix}-kyc-review`;
    const stateMachineArn = this.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const resources: CapabilityResources = { ...props.resources, kycStateMachineArn: stateMachineArn };

    const taskFunctions: Partial<Record<KycTaskId, BankingFunction>> = {};
    for (const task of KYC_WORKFLOW_TASKS) {
      taskFunctions[task.id] = new BankingFunction(this, task.id, {
        definition: task,
        config,
        resources,
        description: `KYC review task ${task.id}: ${task.summary}`,
      });
    }
    this.taskFunctions = taskFunctions as Record<KycTaskId, BankingFunction>;
    const functionArns = Object.fromEntries(
      Object.entries(this.taskFunctions).map(([taskId, fn]) => [taskId, fn.functionArn]),
    ) as Record<KycTaskId, string>;

    const logs = new LogGroup(this, 'KycReviewLogs', {
      // The /aws/vendedlogs/ prefix keeps CloudWatch's log-delivery resource policy from outgrowing its limit.
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });

    this.stateMachine = new StateMachine(this, 'KycReview', {
      stateMachineName,
      // Waits for a human for days: only Standard workflows have task tokens and run that long.
      stateMachineType: StateMachineType.STANDARD,
      // toJsonString resolves the function ARNs (tokens) inside the contract's plain object.
      definitionBody: DefinitionBody.fromString(
        this.toJsonString(kycReviewDefinition(functionArns, config.kyc)),
      ),
      // Every state transition is logged (an audit trail of the review), but never the execution data:
      // that is the customer's case (identity, pre-check results).
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    // A definition from a string carries no grants: the role may invoke exactly the task functions.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: Object.values(functionArns) }),
    );
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only what CDK adds for logging and tracing uses "*": CloudWatch Logs delivery (logs:CreateLogDelivery ' +
        'and friends) and X-Ray (xray:PutTraceSegments, ...) have no resource-level permissions. Invoking ' +
        'names exactly the task functions.',
    });
  }
}
