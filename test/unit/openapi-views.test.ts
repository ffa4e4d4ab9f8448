import type { z } from 'zod';
import { DynamoAuditStore } from '@adapters/dynamodb/audit-store';
import { auditView, chainHash, GENESIS_HASH, type AuditRecord } from '@domain/audit/record';
import {
  AccountLockedError,
  AuthenticationError,
  ConflictError,
  IdempotencyMismatchError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitedError,
  ValidationError,
} from '@domain/errors';
import {
  adminDocumentView,
  documentView,
  queueDocumentView,
  type KycDocument as Document,
} from '@domain/documents/document';
import { alertView, type FraudAlert } from '@domain/fraud/alerts';
import {
  adminUserListView,
  adminUserView,
  loginUserView,
  profileView,
  registrationView,
  type User,
} from '@domain/identity/user';
import { accountListView, accountView, type Account as LedgerAccount } from '@domain/ledger/account';
import { holdView } from '@domain/ledger/admin';
import { statement, transactionHistoryView, transactionView } from '@domain/ledger/banking';
import type { Hold, Ledger, TransactionRecord } from '@domain/ledger/ports';
import { handler as verifyAuditLogs } from '@functions/audit-logs-verify/handler';
import { toErrorResponse } from '@kit/errors';
import { pageOf } from '@kit/pagination';
import { AuditLogEntry, AuditVerification } from '@openapi/schemas/audit';
import { AccountLocked, ErrorBody, InternalError, page, ValidationErrors } from '@openapi/schemas/common';
import { AdminKycDocument, DocumentUpload, KycDocument, QueueDocument } from '@openapi/schemas/documents';
import { FraudAlertView } from '@openapi/schemas/fraud';
import { AdminUser, AdminUserListItem, LoginUser, Profile, Registration } from '@openapi/schemas/identity';
import {
  Account,
  AccountListItem,
  HoldView,
  Statement,
  Transaction,
  TransactionHistoryItem,
} from '@openapi/schemas/ledger';
import { apiEvent, bodyOf, lambdaContext } from '@test/events';

/*
 * The documented response schemas are strict: parsing what the domain views and the kit actually produce
 * fails on a field added, dropped or retyped on either side.
 */

const user = (overrides: Partial<User> = {}): User => ({
  id: 7,
  sub: 'sub-7',
  username: 'john_doe',
  email: 'john.doe@example.com',
  firstName: 'John',
  lastName: 'Doe',
  phoneNumber: '+1234567890',
  dateOfBirth: '1990-01-15',
  customerId: 'CUST1234567890',
  kycStatus: 'PENDING',
  kycReason: null,
  riskProfile: 'LOW',
  isAccountVerified: false,
  twoFactorEnabled: false,
  roles: ['CUSTOMER'],
  piiCiphertext: 'AYADeJ...',
  dateJoined: '2024-01-15T10:30:00Z',
  lastLogin: null,
  failedLoginCount: 0,
  lockedUntil: null,
  ...overrides,
});

const issues = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues;

describe('identity views match their documented schemas', () => {
  const users = [
    user(),
    user({ kycStatus: 'REJECTED', kycReason: 'Document unreadable', lastLogin: '2024-01-16T08:00:00Z' }),
    user({ roles: ['BANK_ADMIN', 'AUDITOR'], phoneNumber: null, dateOfBirth: null, piiCiphertext: null }),
  ];

  it.each(users.map((candidate, index) => [index, candidate] as const))('user #%d', (_index, candidate) => {
    expect(issues(Registration, registrationView(candidate))).toBeUndefined();
    expect(issues(LoginUser, loginUserView(candidate))).toBeUndefined();
    expect(issues(Profile, profileView(candidate))).toBeUndefined();
    expect(issues(AdminUserListItem, adminUserListView(candidate))).toBeUndefined();
    expect(issues(AdminUser, adminUserView(candidate, null))).toBeUndefined();
    expect(
      issues(AdminUser, adminUserView(candidate, { ssn: '123-45-6789', address: '123 Main St, City' })),
    ).toBeUndefined();
  });

  it('fails on a field the schema does not know (the check is not vacuous)', () => {
    expect(issues(Profile, { ...profileView(user()), ssn: '123-45-6789' })).toBeDefined();
    const { email: _dropped, ...withoutEmail } = registrationView(user());
    expect(issues(Registration, withoutEmail)).toBeDefined();
  });
});

const kycDocument = (overrides: Partial<Document> = {}): Document => ({
  documentId: 'DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1',
  customerId: 'CUST1234567890',
  ownerSub: 'sub-7',
  userId: 7,
  documentType: 'PASSPORT',
  contentType: 'application/pdf',
  declaredSize: 48_213,
  status: 'AWAITING_UPLOAD',
  reason: null,
  numberCiphertext: 'AYADeJ...ciphertext',
  numberLast4: '4567',
  numberIndex: 'mac',
  createdAt: '2024-01-15T10:34:50Z',
  uploadedAt: null,
  checkedAt: null,
  sizeBytes: null,
  sha256: null,
  objectVersion: null,
  duplicateFile: false,
  ...overrides,
});

describe('KYC document views match their documented schemas', () => {
  const checked = kycDocument({
    status: 'VERIFIED',
    uploadedAt: '2024-01-15T10:35:12Z',
    checkedAt: '2024-01-15T10:35:13Z',
    sizeBytes: 48_213,
    sha256: 'a'.repeat(64),
  });

  it.each([
    kycDocument(),
    checked,
    kycDocument({ status: 'REJECTED', reason: 'The uploaded file is empty.' }),
  ])('document %#', (candidate) => {
    expect(issues(KycDocument, documentView(candidate))).toBeUndefined();
    expect(issues(QueueDocument, queueDocumentView(candidate))).toBeUndefined();
    expect(issues(AdminKycDocument, adminDocumentView(candidate, null))).toBeUndefined();
    expect(
      issues(
        AdminKycDocument,
        adminDocumentView(candidate, { url: 'http://s3/x', expiresAt: '2024-01-15T10:40:00Z' }),
      ),
    ).toBeUndefined();
    expect(
      issues(DocumentUpload, {
        ...documentView(candidate),
        upload: { url: 'http://s3/bucket', fields: { key: 'kyc/x' } },
        expires_at: '2024-01-15T10:39:50Z',
      }),
    ).toBeUndefined();
  });

  it('never documents nor shows the number in clear (the check is not vacuous)', () => {
    expect(issues(KycDocument, { ...documentView(checked), document_number: 'X1234567' })).toBeDefined();
    expect(JSON.stringify(adminDocumentView(checked, null))).not.toContain('ciphertext');
  });
});

const account = (overrides: Partial<LedgerAccount> = {}): LedgerAccount => ({
  id: 1,
  accountNumber: 'SAV123456789',
  accountType: 'SAVINGS',
  ownerSub: 'sub-7',
  ownerUserId: 7,
  balance: 100_000,
  held: 10_000,
  status: 'ACTIVE',
  interestRateBps: 0,
  minimumBalance: 10_000,
  dailyTransactionLimit: 5_000_000,
  singleTransactionLimit: 1_000_000,
  maturityDate: null,
  createdAt: '2024-01-15T11:00:00Z',
  ...overrides,
});

describe('ledger views match their documented schemas', () => {
  const accounts = [
    account(),
    account({ balance: 0, held: 0, minimumBalance: 0, status: 'CLOSED' }),
    account({
      accountNumber: 'FD123456789',
      accountType: 'FIXED_DEPOSIT',
      interestRateBps: 500,
      maturityDate: '2025-01-15',
      status: 'FROZEN',
    }),
    // A fraud hold may exceed what is left: the available balance goes negative.
    account({ balance: 5_000, held: 20_000 }),
  ];

  it.each(accounts.map((candidate, index) => [index, candidate] as const))(
    'account #%d',
    (_index, candidate) => {
      expect(issues(AccountListItem, accountListView(candidate))).toBeUndefined();
      expect(issues(Account, accountView(candidate))).toBeUndefined();
    },
  );

  const record = (overrides: Partial<TransactionRecord> = {}): TransactionRecord => ({
    transactionId: 'TXN01HN3K2B7QWE',
    type: 'TRANSFER',
    amount: 10_000,
    fee: 100,
    status: 'COMPLETED',
    fromAccount: 'SAV123456789',
    toAccount: 'SAV987654321',
    description: 'Transfer to savings',
    initiatedBy: 'sub-7',
    parties: ['sub-7', 'sub-8'],
    transactionDate: '2024-01-15T12:00:00.123Z',
    processedDate: '2024-01-15T12:00:00.456Z',
    requestIp: '203.0.113.10',
    userAgent: 'jest',
    ...overrides,
  });

  it.each([
    [
      'a transfer between own accounts',
      record(),
      { accountNumber: 'SAV123456789', balance: 89_900 },
      {
        accountNumber: 'SAV987654321',
        balance: 110_000,
      },
    ],
    [
      'a payment to someone else (no payee balance)',
      record({ type: 'PAYMENT', fee: 50 }),
      {
        accountNumber: 'SAV123456789',
        balance: 89_950,
      },
      { accountNumber: 'SAV987654321' },
    ],
    [
      'a deposit',
      record({ type: 'DEPOSIT', fee: 0, fromAccount: null }),
      undefined,
      {
        accountNumber: 'SAV123456789',
        balance: 50_000,
      },
    ],
    [
      'an external payment',
      record({ type: 'PAYMENT', fee: 50, toAccount: null }),
      {
        accountNumber: 'SAV123456789',
        balance: 0,
      },
      undefined,
    ],
  ] as const)('transaction: %s', (_name, candidate, from, to) => {
    const posted = {
      ...candidate,
      transactionDate: '2024-01-15T12:00:00Z',
      processedDate: '2024-01-15T12:00:01Z',
    };
    expect(issues(Transaction, transactionView(posted, from, to))).toBeUndefined();
    expect(issues(TransactionHistoryItem, transactionHistoryView(candidate))).toBeUndefined();
  });

  it('shows no balance in the history (the check is not vacuous)', () => {
    const withBalances = transactionView(
      record(),
      { accountNumber: 'SAV123456789', balance: 1 },
      { accountNumber: 'SAV987654321', balance: 2 },
    );
    expect(issues(TransactionHistoryItem, withBalances)).toBeDefined();
  });

  it('statement', async () => {
    const ledger = {
      getAccount: async () => account(),
      entries: async () => ({
        before: 0,
        entries: [
          {
            transactionId: 'TXN1',
            type: 'DEPOSIT',
            amount: 50_000,
            description: 'Initial deposit',
            at: '2024-01-15T11:30:00.001Z',
          },
          {
            transactionId: 'TXN2',
            type: 'TRANSFER',
            amount: -60_100,
            description: '',
            at: '2024-01-15T12:00:00.002Z',
          },
        ],
      }),
    } as Partial<Ledger> as Ledger;
    const body = await statement(
      { ledger, now: () => new Date('2024-01-31T00:00:00Z') },
      { user: user({ sub: 'sub-7', kycStatus: 'APPROVED' }), groups: ['CUSTOMER'] },
      { accountNumber: 'SAV123456789', from: '2024-01-01', to: '2024-01-31' },
    );
    expect(issues(Statement, body)).toBeUndefined();
  });

  it.each([
    ['active', { releasedAt: null, status: 'ACTIVE' }],
    ['released', { releasedAt: '2024-01-16T09:00:00Z', status: 'RELEASED' }],
  ] as const)('hold: %s', (_name, overrides) => {
    const hold: Hold = {
      holdId: 'HOLD01HN3K5QZ8XY',
      accountNumber: 'SAV123456789',
      amount: 10_000,
      reason: 'Fraud alert ALERT123ABC',
      placedBy: 'SYSTEM:FRAUD:ALERT123ABC',
      placedAt: '2024-01-15T12:30:00Z',
      ...overrides,
    };
    expect(issues(HoldView, holdView(hold))).toBeUndefined();
  });
});

describe('fraud and audit views match their documented schemas', () => {
  const alert = (overrides: Partial<FraudAlert> = {}): FraudAlert => ({
    alertId: 'ALERT0A1B2C3D4E5F',
    alertType: 'SUSPICIOUS_TRANSACTION',
    severity: 'HIGH',
    status: 'OPEN',
    title: 'Large Unusual Transaction',
    description: 'Amount is large in absolute terms; First payment to this counterparty',
    riskScore: 70,
    reasonCodes: ['LARGE_AMOUNT', 'NEW_COUNTERPARTY'],
    transactionId: 'TXN01HN3K2B7QWE',
    accountNumber: 'SAV123456789',
    customerSub: 'sub-7',
    customerId: 'CUST1234567890',
    holdId: 'HOLD0A1B2C3D4E5F',
    createdAt: '2024-01-15T12:00:00Z',
    notes: [],
    ...overrides,
  });

  it.each([
    ['open, with a hold', alert()],
    [
      'reviewed, without hold, account or customer id',
      alert({
        severity: 'LOW',
        riskScore: 40,
        status: 'FALSE_POSITIVE',
        accountNumber: null,
        customerId: null,
        holdId: null,
        notes: [
          {
            status: 'INVESTIGATING',
            note: 'Calling the customer.',
            by: 'sub-admin',
            at: '2024-01-15T12:10:00Z',
          },
          {
            status: 'FALSE_POSITIVE',
            note: 'Confirmed by phone.',
            by: 'sub-admin',
            at: '2024-01-15T12:20:00Z',
          },
        ],
      }),
    ],
  ] as const)('alert: %s', (_name, candidate) => {
    expect(issues(FraudAlertView, alertView(candidate))).toBeUndefined();
  });

  const content = (seq: number): Omit<AuditRecord, 'hash' | 'prevHash'> => ({
    logId: `LOG${String(seq).padStart(12, '0')}`,
    seq,
    actionType: 'UPDATE',
    actor: { sub: 'sub-7', username: 'john_doe', customerId: 'CUST1234567890' },
    targetModel: 'User',
    targetId: 'user 7',
    description: 'User updated',
    ipAddress: null,
    userAgent: null,
    timestamp: '2024-01-15T12:00:00Z',
    changes: {
      lastName: { before: '[REDACTED]', after: '[REDACTED]' },
      failedLoginCount: { before: 0, after: 1 },
      lockedUntil: { before: undefined, after: '2024-01-15T12:30:00Z' },
    },
    sourceEventId: `event-${seq}`,
  });
  const chain = (length: number): AuditRecord[] => {
    const records: AuditRecord[] = [];
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= length; seq += 1) {
      const body = content(seq);
      const hash = chainHash(prevHash, body);
      records.push({ ...body, prevHash, hash });
      prevHash = hash;
    }
    return records;
  };

  it('audit record', () => {
    const [first] = chain(1);
    const anonymous = { ...content(2), actor: { sub: null, username: null, customerId: null }, changes: {} };
    // JSON drops the `before: undefined` of an added field, as the API sends it.
    const sent = JSON.parse(JSON.stringify(auditView(first as AuditRecord))) as unknown;
    expect(issues(AuditLogEntry, sent)).toBeUndefined();
    expect(issues(AuditLogEntry, auditView(first as AuditRecord))).toBeUndefined();
    expect(
      issues(AuditLogEntry, auditView({ ...anonymous, prevHash: GENESIS_HASH, hash: GENESIS_HASH })),
    ).toBeUndefined();
  });

  describe('GET /api/audit-logs/verify/ (the body its handler builds)', () => {
    const range = jest.spyOn(DynamoAuditStore.prototype, 'range');
    afterAll(() => range.mockRestore());

    const verify = async (query: Record<string, string> | null) => {
      const event = apiEvent({
        method: 'GET',
        path: '/api/audit-logs/verify/',
        caller: { sub: 'sub-auditor', groups: ['AUDITOR'] },
      });
      event.body = null;
      event.queryStringParameters = query;
      const result = await verifyAuditLogs(event, lambdaContext());
      expect(result.statusCode).toBe(200);
      return bodyOf(result);
    };

    it.each([
      ['a valid chain', chain(3), null, true],
      ['an empty range', [], { from_seq: '5' }, true],
      [
        'a broken chain',
        chain(3).map((record) => (record.seq === 2 ? { ...record, description: 'edited' } : record)),
        { from_seq: '1', to_seq: '3' },
        false,
      ],
    ] as const)('%s', async (_name, records, query, valid) => {
      range.mockResolvedValueOnce({ records: [...records], startPrevHash: GENESIS_HASH, head: 3 });
      const body = await verify(query);
      expect(body.valid).toBe(valid);
      expect(issues(AuditVerification, body)).toBeUndefined();
    });
  });
});

describe('the kit answers in the documented error shapes', () => {
  it.each([
    ['field errors', new ValidationError({ email: ['Enter a valid email address.'] }), ValidationErrors],
    ['authentication', new AuthenticationError('Token is invalid or expired'), ErrorBody],
    ['not found', new NotFoundError('User not found.'), ErrorBody],
    ['permission (the KYC gate)', new PermissionDeniedError('KYC verification required.'), ErrorBody],
    ['conflict', new ConflictError('The hold is already released.'), ErrorBody],
    ['idempotency mismatch', new IdempotencyMismatchError('Key reused.'), ErrorBody],
    ['rate limit', new RateLimitedError(30), ErrorBody],
    ['lockout', new AccountLockedError(new Date('2024-01-15T11:00:00.123Z')), AccountLocked],
    ['anything else', new Error('boom'), InternalError],
  ] as const)('%s', (_name, error, schema) => {
    expect(issues(schema, toErrorResponse(error, 'req-1').body)).toBeUndefined();
  });

  it('lists in the documented envelope', () => {
    const request = {
      path: '/dev/api/users/',
      query: { page_size: '1' },
      host: 'api.example',
      proto: 'https',
    };
    const body = pageOf(request, { count: 1, next: 'cursor-2' }, [adminUserListView(user())]);
    expect(issues(page('UserPageProbe', AdminUserListItem), body)).toBeUndefined();
  });
});
