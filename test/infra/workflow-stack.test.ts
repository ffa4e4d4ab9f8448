import type { Template } from 'aws-cdk-lib/assertions';
import { ENV } from '@contract/env';
import { DEFAULT_KYC_SETTINGS, KYC_WORKFLOW_TASKS, type KycTaskId } from '@contract/kyc-workflow';
import type { FunctionDefinition } from '@contract/routes';
import {
  environmentOf,
  expectedActions,
  expectedEnv,
  functionOf,
  grantedActions,
  unique,
} from './capabilities';
import { functionStatements, onlyResource, roleStatements, synthesize, TEST_ENV } from './support';

const dev = synthesize('dev');
const { workflow } = dev;
const tasks: readonly FunctionDefinition[] = KYC_WORKFLOW_TASKS;

const STATE_MACHINE_NAME = 'core-banking-dev-kyc-review';
const STATE_MACHINE_ARN = `arn:aws:states:${TEST_ENV.region}:${TEST_ENV.account}:stateMachine:${STATE_MACHINE_NAME}`;
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

interface CatchRule {
  ErrorEquals: string[];
  Next: string;
}
interface RetryRule {
  ErrorEquals: string[];
  IntervalSeconds: number;
  MaxAttempts: number;
  BackoffRate: number;
}
interface State {
  Type: string;
  Resource?: string;
  Parameters?: { FunctionName: string; Payload?: Record<string, unknown>; 'Payload.$'?: string };
  TimeoutSeconds?: number;
  Retry?: RetryRule[];
  Catch?: CatchRule[];
  Next?: string;
}
interface Definition {
  StartAt: string;
  TimeoutSeconds: number;
  States: Record<string, State>;
}

const stateMachineOf = (template: Template) =>
  onlyResource(template, 'AWS::StepFunctions::StateMachine', { StateMachineName: STATE_MACHINE_NAME });

/** Placeholder each function ARN resolves to, so the definition parses as plain JSON. */
const placeholderArn = (logicalId: string) => `arn:test:lambda:${logicalId}`;

/** The DefinitionString's Fn::Join, resolved with a placeholder for every Fn::GetAtt of a function ARN. */
const definitionOf = (template: Template): Definition => {
  const definition = stateMachineOf(template).properties.DefinitionString as {
    'Fn::Join': [string, (string | { 'Fn::GetAtt': [string, string] })[]];
  };
  const [separator, parts] = definition['Fn::Join'];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const [logicalId, attribute] = part['Fn::GetAtt'];
      if (attribute !== 'Arn') throw new Error(`Unexpected token ${JSON.stringify(part)} in the definition`);
      return placeholderArn(logicalId);
    })
    .join(separator);
  return JSON.parse(text) as Definition;
};

const taskById = (id: KycTaskId): FunctionDefinition => {
  const task = tasks.find((candidate) => candidate.id === id);
  if (!task) throw new Error(`Unknown task ${id}`);
  return task;
};
const arnOfTask = (template: Template, id: KycTaskId) =>
  placeholderArn(functionOf(template, taskById(id)).logicalId);

const definition = definitionOf(workflow);
const states = Object.entries(definition.States);
const taskStates = states.filter(([, state]) => state.Type === 'Task');
const state = (name: string): State => {
  const found = definition.States[name];
  if (!found) throw new Error(`No state ${name}`);
  return found;
};

describe('workflow stack: one function per task of the manifest', () => {
  it('has exactly one function per workflow task', () => {
    workflow.resourceCountIs('AWS::Lambda::Function', tasks.length);
  });

  it.each(tasks.map((task) => [task.id, task] as const))(
    '%s runs Node.js 22 on arm64 with the house defaults and its own log group',
    (_id, task) => {
      expect(functionOf(workflow, task).properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 512,
        Timeout: 10,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: expect.stringMatching(new RegExp(`^${task.id}LogGroup`)) } },
      });
      workflow.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/core-banking-dev-${task.id}`,
        RetentionInDays: 30,
      });
    },
  );

  it.each(tasks.map((task) => [task.id, task] as const))(
    '%s gets exactly the env vars of its capabilities',
    (_id, task) => {
      const variables = environmentOf(workflow, task);
      expect(Object.keys(variables).sort()).toEqual(expectedEnv(task));
      expect(variables).toMatchObject({ STAGE: 'dev', LOG_LEVEL: 'DEBUG' });
    },
  );

  it.each(tasks.map((task) => [task.id, task] as const))(
    '%s is granted exactly the actions of its capabilities',
    (_id, task) => {
      expect(grantedActions(workflow, task)).toEqual(expectedActions(task));
    },
  );

  it('lets KycAwaitDecision resume exactly the KYC state machine, named by its fixed ARN', () => {
    const awaitDecision = taskById('KycAwaitDecision');
    expect(environmentOf(workflow, awaitDecision)[ENV.kycStateMachineArn]).toBe(STATE_MACHINE_ARN);
    const statement = functionStatements(workflow, functionOf(workflow, awaitDecision).logicalId).find((s) =>
      s.Action.includes('states:SendTaskSuccess'),
    );
    expect(statement?.Resource).toBe(STATE_MACHINE_ARN);
    // The fixed ARN names the machine this stack creates.
    expect(stateMachineOf(workflow).properties.StateMachineName).toBe(STATE_MACHINE_NAME);
  });

  it('sends notifications to the messaging stack queue', () => {
    const notifyAdmins = taskById('KycNotifyAdmins');
    expect(environmentOf(workflow, notifyAdmins)[ENV.notificationsQueueUrl]).toEqual({
      'Fn::ImportValue': expect.stringMatching(
        /^CoreBanking-dev-Messaging:ExportsOutputRefNotificationsQueue/,
      ),
    });
    const statement = functionStatements(workflow, functionOf(workflow, notifyAdmins).logicalId).find((s) =>
      s.Action.includes('sqs:SendMessage'),
    );
    expect(statement?.Resource).toEqual({
      'Fn::ImportValue': expect.stringMatching(
        /^CoreBanking-dev-Messaging:ExportsOutputFnGetAttNotificationsQueue.*Arn/,
      ),
    });
  });

  it('lets KycApplyDecision update Cognito users of the auth stack pool only', () => {
    const apply = taskById('KycApplyDecision');
    const statement = functionStatements(workflow, functionOf(workflow, apply).logicalId).find((s) =>
      s.Action.includes('cognito-idp:AdminUpdateUserAttributes'),
    );
    expect(statement?.Resource).toEqual({
      'Fn::ImportValue': expect.stringMatching(/^CoreBanking-dev-Auth:.*UserPool.*Arn/),
    });
  });
});

describe('workflow stack: the KYC review state machine', () => {
  it('is a Standard state machine with a fixed, stage-specific name', () => {
    expect(stateMachineOf(workflow).properties).toMatchObject({
      StateMachineName: STATE_MACHINE_NAME,
      StateMachineType: 'STANDARD',
    });
  });

  it('logs every state transition, without execution data, to its vended-logs log group', () => {
    const { properties } = stateMachineOf(workflow);
    const { logicalId: logGroupId } = onlyResource(workflow, 'AWS::Logs::LogGroup', {
      LogGroupName: `/aws/vendedlogs/states/${STATE_MACHINE_NAME}`,
      RetentionInDays: 30,
    });
    expect(properties.LoggingConfiguration).toEqual({
      Level: 'ALL',
      IncludeExecutionData: false,
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }],
    });
  });

  it('is traced with X-Ray', () => {
    expect(stateMachineOf(workflow).properties.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('may invoke exactly the task functions and nothing else', () => {
    const role = stateMachineOf(workflow).properties.RoleArn as { 'Fn::GetAtt': [string, string] };
    const statements = roleStatements(workflow, role['Fn::GetAtt'][0]);
    const lambda = statements.filter((s) => s.Action.some((action) => action.startsWith('lambda:')));
    expect(unique(lambda.flatMap((s) => s.Action))).toEqual(['lambda:InvokeFunction']);
    const invoked = lambda.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    expect(invoked).toHaveLength(tasks.length);
    expect(invoked).toEqual(
      expect.arrayContaining(
        tasks.map((task) => ({ 'Fn::GetAtt': [functionOf(workflow, task).logicalId, 'Arn'] })),
      ),
    );
    // Everything else is CloudWatch log delivery and X-Ray, which CDK adds for logging and tracing.
    const others = unique(statements.flatMap((s) => s.Action).filter((a) => !a.startsWith('lambda:')));
    expect(others.every((action) => /^(logs|xray):/.test(action))).toBe(true);
  });
});

describe('workflow stack: the definition from the contract', () => {
  it('starts with the pre-checks and bounds the whole execution', () => {
    expect(definition.StartAt).toBe('KycPreChecks');
    expect(definition.TimeoutSeconds).toBe(
      DEFAULT_KYC_SETTINGS.decisionTimeoutSeconds + DEFAULT_KYC_SETTINGS.escalationTimeoutSeconds + 3600,
    );
  });

  it('only ever transitions to states that exist, and reaches every state', () => {
    const names = new Set(Object.keys(definition.States));
    const targets = (s: State) => [...(s.Next ? [s.Next] : []), ...(s.Catch ?? []).map((rule) => rule.Next)];
    for (const [, s] of states) for (const target of targets(s)) expect(names).toContain(target);
    const reached = new Set<string>();
    const visit = (name: string) => {
      if (reached.has(name)) return;
      reached.add(name);
      targets(state(name)).forEach(visit);
    };
    visit(definition.StartAt);
    expect([...reached].sort()).toEqual([...names].sort());
  });

  it.each(taskStates.map(([name, s]) => [name, s] as const))(
    '%s invokes its own task function through the Lambda integration',
    (name, s) => {
      const taskId = (name === 'KycAwaitEscalatedDecision' ? 'KycAwaitDecision' : name) as KycTaskId;
      expect([LAMBDA_INVOKE, LAMBDA_WAIT_FOR_TOKEN]).toContain(s.Resource);
      expect(s.Parameters?.FunctionName).toBe(arnOfTask(workflow, taskId));
    },
  );

  it('invokes every task function of the manifest', () => {
    const invoked = new Set(taskStates.map(([, s]) => s.Parameters?.FunctionName));
    for (const task of tasks) expect(invoked).toContain(arnOfTask(workflow, task.id as KycTaskId));
  });

  it.each(taskStates.map(([name, s]) => [name, s] as const))(
    '%s retries with exponential backoff and has a timeout',
    (_name, s) => {
      expect(s.Retry?.length).toBeGreaterThan(0);
      for (const rule of s.Retry ?? []) {
        expect(rule.IntervalSeconds).toBeGreaterThanOrEqual(1);
        expect(rule.MaxAttempts).toBeGreaterThanOrEqual(2);
        expect(rule.BackoffRate).toBeGreaterThan(1);
      }
      // The local runtime times a Task without TimeoutSeconds out after 60 s: every Task must set it.
      expect(s.TimeoutSeconds).toBeGreaterThan(0);
    },
  );

  it.each(taskStates.filter(([name]) => name !== 'KycRecordFailure').map(([name, s]) => [name, s] as const))(
    '%s sends any failure to KycRecordFailure',
    (_name, s) => {
      expect(s.Catch).toContainEqual(
        expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'KycRecordFailure' }),
      );
    },
  );

  it('records failures without catching its own (no loop) and then fails the execution', () => {
    expect(state('KycRecordFailure').Catch).toBeUndefined();
    expect(state(state('KycRecordFailure').Next ?? '').Type).toBe('Fail');
  });

  it.each([
    ['KycAwaitDecision', DEFAULT_KYC_SETTINGS.decisionTimeoutSeconds, 'KycEscalate'],
    ['KycAwaitEscalatedDecision', DEFAULT_KYC_SETTINGS.escalationTimeoutSeconds, 'KycExpire'],
  ])('%s waits for a task token for %i s, then goes to %s', (name, timeout, onTimeout) => {
    const s = state(name);
    expect(s.Resource).toBe(LAMBDA_WAIT_FOR_TOKEN);
    expect(s.Parameters?.Payload).toMatchObject({ 'taskToken.$': '$$.Task.Token' });
    expect(s.TimeoutSeconds).toBe(timeout);
    // States.Timeout is caught before the catch-all, so a timeout escalates instead of failing.
    expect(s.Catch?.[0]).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: onTimeout });
    expect(s.Retry?.flatMap((rule) => rule.ErrorEquals)).not.toContain('States.Timeout');
  });

  it('defaults to the contract clock: 7 days for a decision, 3 more after escalation', () => {
    expect(DEFAULT_KYC_SETTINGS).toEqual({
      decisionTimeoutSeconds: 604800,
      escalationTimeoutSeconds: 259200,
    });
  });
});

describe('workflow stack: context overrides', () => {
  // `cdk synth -c kycDecisionTimeoutSeconds=120` passes the value as a string.
  const overridden = definitionOf(synthesize('dev', { kycDecisionTimeoutSeconds: '120' }).workflow);

  it('puts an overridden decision timeout into the definition and leaves the escalation alone', () => {
    expect(overridden.States.KycAwaitDecision?.TimeoutSeconds).toBe(120);
    expect(overridden.States.KycAwaitEscalatedDecision?.TimeoutSeconds).toBe(
      DEFAULT_KYC_SETTINGS.escalationTimeoutSeconds,
    );
    expect(overridden.TimeoutSeconds).toBe(120 + DEFAULT_KYC_SETTINGS.escalationTimeoutSeconds + 3600);
  });

  it.each([['0'], ['-5'], ['1.5'], ['soon'], [31_536_000]])(
    'refuses kycDecisionTimeoutSeconds=%j',
    (value) => {
      expect(() => synthesize('dev', { kycDecisionTimeoutSeconds: value })).toThrow(
        /kycDecisionTimeoutSeconds|KYC timeouts/,
      );
    },
  );
});
