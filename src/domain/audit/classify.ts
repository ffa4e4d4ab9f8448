import { redactKey } from './record';

export interface ChangeFacts {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys: Record<string, unknown>;
  newImage: Record<string, unknown> | undefined;
  oldImage: Record<string, unknown> | undefined;
}

export interface Classified {
  actionType: string;
  targetModel: string;
  targetId: string;
  description: string;
  /** Who did it, as far as the item tells: a Cognito sub, or a user id to resolve. */
  actorSub: string | null;
  actorUserId: number | null;
  ipAddress: string | null;
  userAgent: string | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

const CRUD = { INSERT: 'CREATE', MODIFY: 'UPDATE', REMOVE: 'DELETE' } as const;

/**
 * What a change in the table means for the audit trail: the action, the model and id it touched, and
 * the actor and address where the item records them. Security events carry their own action.
 */
export const classify = (change: ChangeFacts): Classified => {
  const item = change.newImage ?? change.oldImage ?? {};
  const entity = text(item.entity) ?? 'Unknown';
  const pk = String(change.keys.PK ?? '');
  const base: Classified = {
    actionType: CRUD[change.eventName],
    targetModel: entity,
    targetId: redactKey(`${pk}|${String(change.keys.SK ?? '')}`),
    description: `${entity} ${CRUD[change.eventName].toLowerCase()}d`,
    actorSub: null,
    actorUserId: null,
    ipAddress: null,
    userAgent: null,
  };
  switch (entity) {
    case 'SecurityEvent': {
      const target = item.target as { model?: unknown; id?: unknown } | undefined;
      return {
        ...base,
        actionType: String(item.action),
        targetModel: text(target?.model) ?? 'User',
        targetId: text(target?.id) ?? text(item.targetSub) ?? base.targetId,
        description: String(item.description ?? item.action),
        actorSub: text(item.actorSub),
        ipAddress: text(item.ip),
        userAgent: text(item.userAgent),
      };
    }
    case 'Login':
      return {
        ...base,
        actionType: 'LOGIN',
        targetModel: 'User',
        description: 'User logged in',
        actorSub: pk.replace(/^USER#/, ''),
        ipAddress: text(item.ip),
        userAgent: text(item.userAgent),
      };
    case 'Transaction':
      return {
        ...base,
        targetId: String(item.transactionId),
        description: `Transaction created (${String(item.type)})`,
        actorSub: text(item.initiatedBy)?.startsWith('SYSTEM:') ? null : text(item.initiatedBy),
        ipAddress: text(item.requestIp),
        userAgent: text(item.userAgent),
      };
    case 'User': {
      const kycChanged =
        change.oldImage?.kycStatus !== change.newImage?.kycStatus && change.eventName === 'MODIFY';
      return {
        ...base,
        actionType: kycChanged ? 'KYC_DECISION' : base.actionType,
        targetId: `user ${String(item.id)}`,
        description: kycChanged
          ? `KYC status ${String(change.oldImage?.kycStatus)} -> ${String(change.newImage?.kycStatus)}`
          : change.eventName === 'INSERT'
            ? 'User registered'
            : 'User updated',
        // Self-service changes are the user's; a KYC decision's actor is on the case (see KycCase).
        actorSub: kycChanged ? null : text(item.sub),
      };
    }
    case 'KycCase': {
      const decision = change.newImage?.decision as
        { decidedBy?: number | null; status?: string } | undefined;
      const decided = !change.oldImage?.decision && decision;
      return {
        ...base,
        actionType: decided ? 'KYC_DECISION' : base.actionType,
        targetId: `user ${String(item.userId)}`,
        description: decided ? `KYC case decided: ${String(decision.status)}` : base.description,
        actorUserId: decided && typeof decision.decidedBy === 'number' ? decision.decidedBy : null,
      };
    }
    case 'Account':
      return {
        ...base,
        targetId: String(item.accountNumber),
        description:
          change.eventName === 'MODIFY' && change.oldImage?.status !== change.newImage?.status
            ? `Account status ${String(change.oldImage?.status)} -> ${String(change.newImage?.status)}`
            : base.description,
        actorSub: change.eventName === 'INSERT' ? text(item.ownerSub) : null,
      };
    case 'FraudAlert':
      return { ...base, targetId: String(item.alertId), description: `Fraud alert ${String(item.status)}` };
    default:
      return base;
  }
};
