import { ConflictError, PermissionDeniedError, ValidationError } from '@domain/errors';
import type { KycDocument } from '@domain/documents/document';
import type { User } from '@domain/identity/user';
import type { KycCase, KycDecision } from '@domain/kyc/case';
import type { KycCaseRepository, KycWorkflow } from '@domain/kyc/ports';
import { awaitDecision, decideKyc, refreshIdentityDocumentCheck, runPreChecks } from '@domain/kyc/review';
import { nameTokens, screenName } from '@domain/kyc/screening';

const customer: User = {
  id: 5,
  sub: 'sub-5',
  username: 'jane_doe',
  email: 'jane@example.com',
  firstName: 'Jane',
  lastName: 'Doe',
  phoneNumber: '+1234567890',
  dateOfBirth: '1992-05-20',
  customerId: 'CUST0000000005',
  kycStatus: 'PENDING',
  kycReason: null,
  riskProfile: 'LOW',
  isAccountVerified: false,
  twoFactorEnabled: false,
  roles: ['CUSTOMER'],
  piiCiphertext: 'c',
  dateJoined: '2026-11-25T10:00:00Z',
  lastLogin: null,
  failedLoginCount: 0,
  lockedUntil: null,
};

const openCase: KycCase = {
  userId: 5,
  sub: 'sub-5',
  customerId: 'CUST0000000005',
  status: 'PENDING',
  openedAt: '2026-11-25T10:00:00Z',
  preChecks: null,
  preChecksAt: null,
  escalatedAt: null,
  decision: null,
  failure: null,
  taskToken: null,
};

/** A case store with the repository's conditions: only an open case can be decided, once. */
const memoryCases = (initial: KycCase = openCase) => {
  let current = { ...initial };
  const repository: KycCaseRepository = {
    get: async () => ({ ...current }),
    recordPreChecks: async (_id, results) => {
      current.preChecks = results;
    },
    replacePreCheck: async (_id, result) => {
      if (!current.preChecks) return false;
      current.preChecks = [...current.preChecks.filter((item) => item.check !== result.check), result];
      return true;
    },
    storeTaskToken: async (_id, token) => {
      if (current.status !== 'PENDING' && current.status !== 'ESCALATED') return 'DECIDED';
      current.taskToken = token;
      return 'STORED';
    },
    decide: async (_user, decision) => {
      if (current.status !== 'PENDING' && current.status !== 'ESCALATED') throw new ConflictError('decided');
      current = { ...current, status: decision.status, decision };
    },
    escalate: jest.fn(),
    expire: jest.fn(),
    recordFailure: jest.fn(),
    listOpen: jest.fn(),
  };
  return { repository, current: () => current };
};

const fakeWorkflow = () => {
  const resumed: { token: string; decision: KycDecision }[] = [];
  const workflow: KycWorkflow = {
    start: jest.fn(),
    resume: async (token, decision) => {
      resumed.push({ token, decision });
    },
  };
  return { workflow, resumed };
};

const now = () => new Date('2026-11-26T09:00:00Z');

describe('decideKyc', () => {
  const ports = (cases: KycCaseRepository, workflow: KycWorkflow, user: User = customer) => ({
    users: { getById: async (id: number) => (id === user.id ? { ...user } : undefined) },
    cases,
    workflow,
    now,
  });
  const admin = { adminSub: 'sub-admin', adminUserId: 1 };

  it('closes the case, records who decided when, and resumes the waiting workflow', async () => {
    const { repository, current } = memoryCases({ ...openCase, taskToken: 'token-1' });
    const { workflow, resumed } = fakeWorkflow();

    const user = await decideKyc(ports(repository, workflow), { ...admin, userId: 5, status: 'APPROVED' });

    expect(user).toMatchObject({ kycStatus: 'APPROVED', isAccountVerified: true });
    expect(current().decision).toEqual({
      status: 'APPROVED',
      reason: null,
      decidedBy: 1,
      decidedAt: '2026-11-26T09:00:00Z',
    });
    expect(resumed).toEqual([{ token: 'token-1', decision: current().decision }]);
  });

  it('requires a reason to reject', async () => {
    const { repository } = memoryCases();
    await expect(
      decideKyc(ports(repository, fakeWorkflow().workflow), { ...admin, userId: 5, status: 'REJECTED' }),
    ).rejects.toEqual(new ValidationError({ reason: ['A reason is required when rejecting.'] }));
  });

  it('refuses an admin deciding their own case', async () => {
    const { repository } = memoryCases();
    await expect(
      decideKyc(ports(repository, fakeWorkflow().workflow), {
        adminSub: 'sub-5',
        adminUserId: 5,
        userId: 5,
        status: 'APPROVED',
      }),
    ).rejects.toThrow(PermissionDeniedError);
  });

  it('answers a conflict to the second of two simultaneous decisions', async () => {
    const { repository } = memoryCases();
    const { workflow } = fakeWorkflow();
    const decide = (status: 'APPROVED' | 'REJECTED') =>
      decideKyc(ports(repository, workflow), { ...admin, userId: 5, status, reason: 'r' });

    const outcomes = await Promise.allSettled([decide('APPROVED'), decide('REJECTED')]);

    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(ConflictError);
  });
});

describe('awaitDecision', () => {
  it('keeps the token while the case is open', async () => {
    const { repository, current } = memoryCases();
    const { workflow, resumed } = fakeWorkflow();

    await awaitDecision(
      { users: { getById: jest.fn() }, cases: repository, workflow, now },
      { userId: 5, taskToken: 't' },
    );

    expect(current().taskToken).toBe('t');
    expect(resumed).toEqual([]);
  });

  it('resumes at once when an admin decided before the workflow reached the wait', async () => {
    const decision: KycDecision = {
      status: 'APPROVED',
      reason: null,
      decidedBy: 1,
      decidedAt: '2026-11-25T10:00:01Z',
    };
    const { repository } = memoryCases({ ...openCase, status: 'APPROVED', decision });
    const { workflow, resumed } = fakeWorkflow();

    await awaitDecision(
      { users: { getById: jest.fn() }, cases: repository, workflow, now },
      { userId: 5, taskToken: 't' },
    );

    expect(resumed).toEqual([{ token: 't', decision }]);
  });
});

describe('pre-checks', () => {
  it('records age, duplicate identity and watch-list outcomes on the case', async () => {
    const { repository, current } = memoryCases();

    const results = await runPreChecks(
      {
        users: { getById: async () => ({ ...customer, firstName: 'Jané', lastName: 'DOE' }) },
        cases: repository,
        now,
        watchList: { entries: async () => [{ name: 'Doe, Jane', source: 'OFAC SDN' }] },
        identities: { registerAndCountOthers: async () => 2 },
        documents: { listAll: async () => [] },
        requireIdentityDocument: true,
      },
      5,
    );

    expect(results).toEqual([
      { check: 'AGE', outcome: 'PASS', detail: 'Age 34 meets the minimum of 18.' },
      {
        check: 'DUPLICATE_IDENTITY',
        outcome: 'FLAG',
        detail: '2 other customer(s) share this name and date of birth.',
      },
      { check: 'WATCH_LIST', outcome: 'FLAG', detail: 'Name matches watch-list entries from: OFAC SDN.' },
      {
        check: 'IDENTITY_DOCUMENT',
        outcome: 'FLAG',
        detail: 'No verified identity document yet; approval requires one on this stage.',
      },
    ]);
    expect(current().preChecks).toEqual(results);
  });

  it('does not lose a passport verified while the checks ran (its own refresh found nothing to update)', async () => {
    const { repository, current } = memoryCases();
    const verifiedPassport = { status: 'VERIFIED', documentType: 'PASSPORT' } as KycDocument;
    // First read: not yet verified; by the time the checks are recorded, it is.
    const listAll = jest.fn().mockResolvedValueOnce([]).mockResolvedValue([verifiedPassport]);

    const results = await runPreChecks(
      {
        users: { getById: async () => customer },
        cases: repository,
        now,
        watchList: { entries: async () => [] },
        identities: { registerAndCountOthers: async () => 0 },
        documents: { listAll },
        requireIdentityDocument: true,
      },
      5,
    );

    const identity = {
      check: 'IDENTITY_DOCUMENT',
      outcome: 'PASS',
      detail: 'A verified identity document is on file.',
    };
    expect(results).toContainEqual(identity);
    expect(current().preChecks).toContainEqual(identity);
  });

  it('brings the identity-document result up to date when a passport is verified later', async () => {
    const { repository, current } = memoryCases({
      ...openCase,
      preChecks: [{ check: 'IDENTITY_DOCUMENT', outcome: 'FLAG', detail: 'none' }],
      preChecksAt: '2026-11-25T10:00:00Z',
    });

    const utilityBill = await refreshIdentityDocumentCheck(
      { cases: repository, now, requireIdentityDocument: true },
      { userId: 5, documentType: 'UTILITY_BILL', status: 'VERIFIED' },
    );
    const passport = await refreshIdentityDocumentCheck(
      { cases: repository, now, requireIdentityDocument: true },
      { userId: 5, documentType: 'PASSPORT', status: 'VERIFIED' },
    );

    expect([utilityBill, passport]).toEqual([false, true]);
    expect(current().preChecks).toEqual([
      { check: 'IDENTITY_DOCUMENT', outcome: 'PASS', detail: 'A verified identity document is on file.' },
    ]);
  });
});

describe('identity-document policy', () => {
  const document = (status: KycDocument['status'], documentType: KycDocument['documentType']) =>
    ({ status, documentType }) as KycDocument;
  const admin = { adminSub: 'sub-admin', adminUserId: 1, userId: 5 };
  const ports = (documents: KycDocument[], requireIdentityDocument: boolean) => ({
    users: { getById: async () => ({ ...customer }) },
    cases: memoryCases().repository,
    workflow: fakeWorkflow().workflow,
    now,
    documents: { listAll: async () => documents },
    requireIdentityDocument,
  });

  it('refuses approval (409) without a verified identity document when the policy is on', async () => {
    const attempt = decideKyc(
      ports([document('VERIFIED', 'UTILITY_BILL'), document('REJECTED', 'PASSPORT')], true),
      { ...admin, status: 'APPROVED' },
    );

    await expect(attempt).rejects.toThrow(ConflictError);
    await expect(attempt).rejects.toThrow(/verified identity document/);
  });

  it('approves with a verified passport when the policy is on', async () => {
    const user = await decideKyc(ports([document('VERIFIED', 'PASSPORT')], true), {
      ...admin,
      status: 'APPROVED',
    });

    expect(user.kycStatus).toBe('APPROVED');
  });

  it('approves without any document when the policy is off, and rejects without one either way', async () => {
    const approved = await decideKyc(ports([], false), { ...admin, status: 'APPROVED' });
    const rejected = await decideKyc(ports([], true), { ...admin, status: 'REJECTED', reason: 'No ID' });

    expect([approved.kycStatus, rejected.kycStatus]).toEqual(['APPROVED', 'REJECTED']);
  });
});

describe('watch-list screening', () => {
  it('ignores case, accents, punctuation and order', () => {
    expect(nameTokens("  O'Brien-Smith, José ")).toEqual(['o', 'brien', 'smith', 'jose']);
    expect(screenName('José Smith', [{ name: 'SMITH, Jose', source: 'internal' }])).toHaveLength(1);
  });

  it('flags a listed name inside a longer name but not a partial one', () => {
    const entries = [{ name: 'John Doe', source: 'internal' }];
    expect(screenName('John Michael Doe', entries)).toHaveLength(1);
    expect(screenName('John Donovan', entries)).toHaveLength(0);
  });
});
