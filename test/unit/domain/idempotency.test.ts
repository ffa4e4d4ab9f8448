import type { Account } from '@domain/ledger/account';
import { createTransaction, type Caller } from '@domain/ledger/banking';
import {
  PostingRefusedError,
  type IdempotencyClaim,
  type Ledger,
  type StoredResponse,
  type TransactionRecord,
} from '@domain/ledger/ports';
import type { User } from '@domain/identity/user';

/*
 * The Idempotency-Key after a lost answer: the claim is written in the posting's own transaction and names
 * the transaction it created, so a retry after a crash (or a timeout that committed) is answered from the
 * committed transaction instead of "still in progress" until the key expires. A refusal keeps its answer.
 */

const account = (accountNumber: string, balance: number): Account => ({
  id: 1,
  accountNumber,
  accountType: 'SAVINGS',
  ownerSub: 'sub-1',
  ownerUserId: 7,
  balance,
  held: 0,
  status: 'ACTIVE',
  interestRateBps: 0,
  minimumBalance: 0,
  dailyTransactionLimit: 50_000_00,
  singleTransactionLimit: 10_000_00,
  maturityDate: null,
  createdAt: '2024-01-15T11:00:00Z',
});

const caller: Caller = {
  user: { sub: 'sub-1', id: 7, kycStatus: 'APPROVED' } as unknown as User,
  groups: ['CUSTOMER'],
};

/** An in-memory ledger with just what createTransaction touches, and a switch to lose the answer. */
const fakeLedger = () => {
  const claims = new Map<string, StoredResponse>();
  const transactions = new Map<string, TransactionRecord>();
  const accounts = new Map([
    ['SAV000000001', account('SAV000000001', 500_00)],
    ['SAV000000002', account('SAV000000002', 0)],
  ]);
  const state = { crashAfterCommit: false, refuse: false, posts: 0 };
  const ledger = {
    getAccount: async (number: string) => accounts.get(number),
    getTransaction: async (id: string) => transactions.get(id),
    findIdempotent: async (key: string) => claims.get(key),
    post: async (input: { record: TransactionRecord; idempotency?: IdempotencyClaim }) => {
      const claim = input.idempotency;
      if (claim && claims.has(claim.key)) throw new PostingRefusedError('DUPLICATE_REQUEST');
      if (state.refuse) throw new PostingRefusedError('INSUFFICIENT_FUNDS');
      state.posts += 1;
      transactions.set(input.record.transactionId, input.record);
      if (claim) {
        claims.set(claim.key, {
          requestHash: claim.requestHash,
          statusCode: null,
          body: null,
          resultRef: claim.resultRef ?? null,
        });
      }
    },
    completeIdempotent: async (key: string, statusCode: number, body: unknown) => {
      if (state.crashAfterCommit) throw new Error('Lambda timed out');
      const claim = claims.get(key);
      if (claim) claims.set(key, { ...claim, statusCode, body });
    },
    claimWithAnswer: async (claim: IdempotencyClaim, statusCode: number, body: unknown) => {
      if (claims.has(claim.key)) return false;
      claims.set(claim.key, { requestHash: claim.requestHash, statusCode, body, resultRef: null });
      return true;
    },
    recordRefusal: async () => undefined,
  };
  return { ledger: ledger as unknown as Ledger, state, claims };
};

const transfer = {
  transactionType: 'TRANSFER' as const,
  amount: 100_00,
  fromAccountNumber: 'SAV000000001',
  toAccountNumber: 'SAV000000002',
  description: 'rent',
  idempotencyKey: 'key-1',
};

describe('Idempotency-Key after a lost answer', () => {
  it('answers a retry with the committed transaction, posts nothing new and keeps that answer', async () => {
    // Prepare: the posting commits, then the function dies before it stores the answer.
    const { ledger, state, claims } = fakeLedger();
    const ports = { ledger, now: () => new Date('2024-01-15T12:00:00Z') };
    state.crashAfterCommit = true;
    await expect(createTransaction(ports, caller, transfer)).rejects.toThrow('Lambda timed out');
    state.crashAfterCommit = false;

    // Act
    const retry = await createTransaction(ports, caller, transfer);
    const again = await createTransaction(ports, caller, transfer);

    // Assess
    expect(state.posts).toBe(1);
    expect(retry.statusCode).toBe(201);
    const committed = claims.get('sub-1#key-1')?.resultRef;
    expect(committed).toMatch(/^TXN/);
    expect(retry.body).toMatchObject({
      transaction_id: committed,
      transaction_type: 'TRANSFER',
      amount: '100.00',
    });
    expect(claims.get('sub-1#key-1')?.statusCode).toBe(201);
    expect(again).toEqual(retry);
  });

  it('refuses a different request under the same key (422), even while the answer is lost', async () => {
    const { ledger, state } = fakeLedger();
    const ports = { ledger, now: () => new Date('2024-01-15T12:00:00Z') };
    state.crashAfterCommit = true;
    await expect(createTransaction(ports, caller, transfer)).rejects.toThrow();

    await expect(createTransaction(ports, caller, { ...transfer, amount: 200_00 })).rejects.toMatchObject({
      name: 'IdempotencyMismatchError',
    });
  });

  it('keeps a refusal under its key: the retry is refused the same way, even when it could now pass', async () => {
    const { ledger, state } = fakeLedger();
    const ports = { ledger, now: () => new Date('2024-01-15T12:00:00Z') };
    state.refuse = true;
    await expect(createTransaction(ports, caller, transfer)).rejects.toMatchObject({
      name: 'ValidationError',
    });
    state.refuse = false;

    const retry = await createTransaction(ports, caller, transfer);

    expect(retry).toEqual({
      statusCode: 400,
      body: { amount: ['Insufficient funds: the balance would fall below the minimum balance.'] },
    });
    expect(state.posts).toBe(0);
  });
});
