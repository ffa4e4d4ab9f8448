import { ConflictError, NotFoundError, PermissionDeniedError, ValidationError } from '@domain/errors';
import type { IdentityProvider, UserRepository } from '@domain/identity/ports';
import { isoSeconds, type User } from '@domain/identity/user';
import type { Notifier } from '@domain/notifications/notification';
import { EXPIRED_REASON, type KycCase, type KycDecision } from './case';
import type { KycDocument } from '@domain/documents/document';
import { isIdentityDocument } from '@domain/documents/document';
import type { DocumentRepository } from '@domain/documents/ports';
import { hasVerifiedIdentityDocument } from '@domain/documents/service';
import {
  checkAge,
  checkDuplicateIdentity,
  checkIdentityDocument,
  checkWatchList,
  IDENTITY_DOCUMENT_REQUIRED,
} from './prechecks';
import type { IdentityIndex, KycCaseRepository, KycWorkflow, WatchList } from './ports';

export interface ReviewPorts {
  users: Pick<UserRepository, 'getById'>;
  cases: KycCaseRepository;
  now: () => Date;
}

const userOrFail = async (ports: ReviewPorts, userId: number): Promise<User> => {
  const user = await ports.users.getById(userId);
  if (!user) throw new NotFoundError('User not found.');
  return user;
};

/** The stage's document policy and where documents are found. */
export interface DocumentPolicyPorts {
  documents: Pick<DocumentRepository, 'listAll'>;
  /** Whether approval needs a verified identity document (per stage; off by default). */
  requireIdentityDocument: boolean;
}

/**
 * A document was just checked: if it is a verified identity document and the case's pre-checks already
 * ran, its IDENTITY_DOCUMENT result is brought up to date for the reviewer.
 */
export async function refreshIdentityDocumentCheck(
  ports: Pick<ReviewPorts, 'cases' | 'now'> & { requireIdentityDocument: boolean },
  document: Pick<KycDocument, 'userId' | 'documentType' | 'status'>,
): Promise<boolean> {
  if (document.status !== 'VERIFIED' || !isIdentityDocument(document.documentType)) return false;
  return ports.cases.replacePreCheck(
    document.userId,
    checkIdentityDocument(true, ports.requireIdentityDocument),
    ports.now(),
  );
}

/** Step 1: the automated pre-checks, recorded on the case for the reviewer. */
export async function runPreChecks(
  ports: ReviewPorts &
    DocumentPolicyPorts & {
      watchList: WatchList;
      identities: IdentityIndex;
    },
  userId: number,
) {
  const user = await userOrFail(ports, userId);
  const now = ports.now();
  const [others, entries, identityDocument] = await Promise.all([
    ports.identities.registerAndCountOthers(user),
    ports.watchList.entries(),
    hasVerifiedIdentityDocument(ports.documents, user.customerId),
  ]);
  const results = [
    checkAge(user.dateOfBirth, now),
    checkDuplicateIdentity(others),
    checkWatchList(`${user.firstName} ${user.lastName}`, entries),
    checkIdentityDocument(identityDocument, ports.requireIdentityDocument),
  ];
  await ports.cases.recordPreChecks(userId, results, now);
  // A document verified while the checks ran found no recorded checks to update (its refresh was a no-op)
  // and is not in what was read above: look once more now that the checks are recorded.
  if (!identityDocument && (await hasVerifiedIdentityDocument(ports.documents, user.customerId))) {
    const current = checkIdentityDocument(true, ports.requireIdentityDocument);
    await ports.cases.replacePreCheck(userId, current, ports.now());
    return results.map((result) => (result.check === current.check ? current : result));
  }
  return results;
}

const openedNotification = (kycCase: KycCase, escalated: boolean) => ({
  notificationId: `kyc-${kycCase.userId}-${escalated ? 'escalated' : 'opened'}`,
  type: escalated ? ('KYC_CASE_ESCALATED' as const) : ('KYC_CASE_OPENED' as const),
  recipient: { kind: 'ROLE' as const, role: 'BANK_ADMIN' as const },
  title: escalated ? 'KYC case escalated' : 'New KYC case to review',
  message: escalated
    ? `KYC case of customer ${kycCase.customerId} has waited past its review deadline.`
    : `Customer ${kycCase.customerId} registered and waits for KYC review.`,
  createdAt: escalated ? (kycCase.escalatedAt ?? kycCase.openedAt) : kycCase.openedAt,
  data: { user_id: kycCase.userId, customer_id: kycCase.customerId },
});

const caseOrFail = async (ports: ReviewPorts, userId: number): Promise<KycCase> => {
  const kycCase = await ports.cases.get(userId);
  if (!kycCase) throw new NotFoundError('KYC case not found.');
  return kycCase;
};

/** Step 2: tell the bank admins a case waits. */
export async function notifyAdmins(ports: ReviewPorts & { notifier: Notifier }, userId: number) {
  await ports.notifier.notify(openedNotification(await caseOrFail(ports, userId), false));
}

/**
 * Step 3: keep the decision task's token on the case. If an admin decided before the workflow got here,
 * resume the workflow at once with that decision: the decision never waits for the workflow.
 */
export async function awaitDecision(
  ports: ReviewPorts & { workflow: KycWorkflow },
  input: { userId: number; taskToken: string },
) {
  const outcome = await ports.cases.storeTaskToken(input.userId, input.taskToken);
  if (outcome === 'STORED') return;
  const kycCase = await caseOrFail(ports, input.userId);
  if (kycCase.decision) await ports.workflow.resume(input.taskToken, kycCase.decision);
}

/** Escalation: no decision in time. */
export async function escalate(ports: ReviewPorts & { notifier: Notifier }, userId: number) {
  if (!(await ports.cases.escalate(userId, ports.now()))) return;
  await ports.notifier.notify(openedNotification(await caseOrFail(ports, userId), true));
}

/** Expiry: still no decision; the customer is rejected with a reason and told so. */
export async function expire(ports: ReviewPorts, userId: number): Promise<KycDecision> {
  return ports.cases.expire(userId, {
    status: 'REJECTED',
    reason: EXPIRED_REASON,
    decidedBy: null,
    decidedAt: isoSeconds(ports.now()),
  });
}

export const REASON_REQUIRED = 'A reason is required when rejecting.';

/**
 * The admin's decision (PUT /api/users/{user_id}/). It takes effect at once, in one transaction with the
 * case's closing; then the waiting workflow is resumed to do the rest (Cognito, the customer's notice).
 */
export async function decideKyc(
  ports: ReviewPorts & { workflow: KycWorkflow } & Partial<DocumentPolicyPorts>,
  input: {
    adminSub: string;
    adminUserId: number;
    userId: number;
    status: 'APPROVED' | 'REJECTED';
    reason?: string;
  },
): Promise<User> {
  if (input.status === 'REJECTED' && !input.reason) throw new ValidationError({ reason: [REASON_REQUIRED] });
  const user = await userOrFail(ports, input.userId);
  if (user.sub === input.adminSub) throw new PermissionDeniedError('You cannot decide your own KYC case.');
  if (user.kycStatus !== 'PENDING')
    throw new ConflictError(`KYC case is already decided (${user.kycStatus}).`);
  if (
    input.status === 'APPROVED' &&
    ports.requireIdentityDocument &&
    ports.documents &&
    !(await hasVerifiedIdentityDocument(ports.documents, user.customerId))
  )
    throw new ConflictError(IDENTITY_DOCUMENT_REQUIRED);

  const decision: KycDecision = {
    status: input.status,
    reason: input.reason ?? null,
    decidedBy: input.adminUserId,
    decidedAt: isoSeconds(ports.now()),
  };
  await ports.cases.decide(user, decision);
  // Read after the write: a token stored just before the decision is found here; one stored after it
  // finds the case closed and resumes the workflow itself (awaitDecision).
  const kycCase = await ports.cases.get(user.id);
  if (kycCase?.taskToken) await ports.workflow.resume(kycCase.taskToken, decision);
  return {
    ...user,
    kycStatus: decision.status,
    kycReason: decision.reason,
    isAccountVerified: decision.status === 'APPROVED',
  };
}

const decisionNotification = (user: User, decision: KycDecision) => ({
  notificationId: `kyc-${user.id}-decision`,
  type: decision.status === 'APPROVED' ? ('KYC_APPROVED' as const) : ('KYC_REJECTED' as const),
  recipient: { kind: 'USER' as const, sub: user.sub, userId: user.id },
  title:
    decision.status === 'APPROVED'
      ? 'Your identity is verified'
      : 'Your identity verification was not approved',
  message:
    decision.status === 'APPROVED'
      ? 'Your KYC verification is approved. You can now open accounts and make transactions.'
      : `Your KYC verification was rejected. Reason: ${decision.reason ?? 'not given'}`,
  createdAt: decision.decidedAt,
  data: { user_id: user.id, customer_id: user.customerId },
});

/** Last step: tell the customer the outcome, with the reason on a rejection. */
export async function notifyCustomer(
  ports: ReviewPorts & { notifier: Notifier },
  input: { userId: number; decision: KycDecision },
) {
  const user = await userOrFail(ports, input.userId);
  await ports.notifier.notify(decisionNotification(user, input.decision));
}

/**
 * After the decision: make sure the profile carries it (the admin API already wrote it; an expiry path
 * may not have) and mirror it on the Cognito identity.
 */
export async function applyDecision(
  ports: ReviewPorts & { identity: Pick<IdentityProvider, 'setKycStatus'> },
  input: { userId: number; decision: KycDecision },
) {
  const user = await userOrFail(ports, input.userId);
  if (user.kycStatus === 'PENDING') {
    try {
      await ports.cases.decide(user, input.decision);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  await ports.identity.setKycStatus(user.sub, input.decision.status);
}
