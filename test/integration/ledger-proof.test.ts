import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamoClientFor, stackState } from '@test/emulators';
import { startLocalStack, type LocalStack } from '@test/local-stack';
import { scenario } from '@test/scenario';

/*
 * The ledger's invariants under concurrency, against DynamoDB Local through the real API: many parallel
 * random deposits, withdrawals and transfers among a set of accounts, with duplicated requests (same
 * Idempotency-Key) mixed in. Seeded, so a failure can be replayed with PROOF_SEED.
 */
jest.setTimeout(240_000);

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

/** mulberry32: a small seeded generator, so the run is reproducible. */
const generator = (seed: number) => () => {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const scanAll = async (dataDir: string) => {
  const client = dynamoClientFor(dataDir);
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, never> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: stackState(dataDir).tableName, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (startKey);
  client.destroy();
  return items;
};

it('never creates or loses money, never breaks a minimum, never applies a request twice', async () => {
  const seed = Number(process.env.PROOF_SEED ?? Date.now() % 100_000);
  const random = generator(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const world = scenario(stack);

  // Prepare: 4 approved customers with 2 accounts each (one with a 100.00 minimum), funded.
  const customers = await Promise.all(Array.from({ length: 4 }, () => world.approvedCustomer()));
  const accounts: { number: string; token: string }[] = [];
  for (const customer of customers) {
    for (const minimum of ['100.00', '0.00']) {
      const number = await world.account(customer.token, 'SAVINGS', minimum);
      accounts.push({ number, token: customer.token });
      await world.api('POST', '/api/transactions/', {
        token: customer.token,
        body: { transaction_type: 'DEPOSIT', to_account_number: number, amount: '500.00' },
      });
    }
  }

  // Act: random operations, 8 at a time; about one in five is a duplicate of an earlier request.
  const OPERATIONS = 240;
  const sent: { key: string; token: string; body: Record<string, string> }[] = [];
  const outcomes: { key: string; status: number; transactionId?: string; refusal?: string }[] = [];
  const nextRequest = () => {
    if (sent.length > 0 && random() < 0.2) return pick(sent);
    const from = pick(accounts);
    const kind = pick(['DEPOSIT', 'WITHDRAWAL', 'TRANSFER', 'TRANSFER'] as const);
    const amount = `${Math.floor(random() * 300)}.${String(Math.floor(random() * 100)).padStart(2, '0')}`;
    const body: Record<string, string> =
      kind === 'DEPOSIT'
        ? { transaction_type: kind, to_account_number: from.number, amount }
        : kind === 'WITHDRAWAL'
          ? { transaction_type: kind, from_account_number: from.number, amount }
          : {
              transaction_type: kind,
              from_account_number: from.number,
              to_account_number: pick(accounts.filter((a) => a !== from)).number,
              amount,
            };
    const request = { key: `proof-${seed}-${sent.length}`, token: from.token, body };
    sent.push(request);
    return request;
  };
  let issued = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (issued < OPERATIONS) {
        issued += 1;
        const request = nextRequest();
        const response = await world.api('POST', '/api/transactions/', {
          token: request.token,
          body: request.body,
          headers: { 'Idempotency-Key': request.key },
        });
        outcomes.push({
          key: request.key,
          status: response.status,
          transactionId: response.status === 201 ? String(response.body.transaction_id) : undefined,
          refusal:
            response.status === 201 ? undefined : `${response.status} ${JSON.stringify(response.body)}`,
        });
      }
    }),
  );

  // Assess, from the table itself.
  const items = await scanAll(stack.dataDir);
  const accountItems = items.filter((item) => item.entity === 'Account');
  const shardItems = items.filter((item) => item.entity === 'HouseShard');
  const entries = items.filter((item) => item.entity === 'Entry');
  const total = [...accountItems, ...shardItems].reduce((sum, item) => sum + Number(item.balance), 0);
  // (a) the bank's books balance: customers' balances are exactly what the house accounts gave out.
  expect(total).toBe(0);
  // (b) every balance is the sum of its entries.
  for (const account of accountItems) {
    const sum = entries
      .filter((entry) => entry.PK === account.PK)
      .reduce((s, entry) => s + Number(entry.amount), 0);
    expect({ account: account.accountNumber, balance: Number(account.balance) }).toEqual({
      account: account.accountNumber,
      balance: sum,
    });
    expect(Number(account.available)).toBe(Number(account.balance) - Number(account.held));
    // (c) no account is below its minimum (every debit was conditioned on it).
    expect(Number(account.balance)).toBeGreaterThanOrEqual(Number(account.minimumBalance));
  }
  for (const shard of shardItems) {
    const prefix = `${String(shard.PK)}#${String(shard.SK).replace('SHARD#', '')}`;
    const sum = entries
      .filter((entry) => entry.PK === prefix)
      .reduce((s, entry) => s + Number(entry.amount), 0);
    expect(Number(shard.balance)).toBe(sum);
  }
  // (d) no request applied twice: each key maps to at most one transaction, and every 201 is recorded.
  const byKey = new Map<string, Set<string>>();
  for (const outcome of outcomes.filter((o) => o.transactionId)) {
    byKey.set(outcome.key, (byKey.get(outcome.key) ?? new Set()).add(String(outcome.transactionId)));
  }
  for (const ids of byKey.values()) expect(ids.size).toBe(1);
  const recorded = new Set(
    items.filter((item) => item.entity === 'Transaction').map((item) => item.transactionId),
  );
  for (const ids of byKey.values()) for (const id of ids) expect(recorded.has(id)).toBe(true);
  // Every funded deposit plus every distinct applied request, and nothing else.
  expect(recorded.size).toBe(accounts.length + byKey.size);
  const refusals = new Map<string, number>();
  for (const outcome of outcomes.filter((o) => o.refusal)) {
    refusals.set(outcome.refusal ?? '', (refusals.get(outcome.refusal ?? '') ?? 0) + 1);
  }
  // The figures a reader wants from a proof run.
  console.log(
    [
      `ledger proof: seed ${seed}, ${outcomes.length} requests (${sent.length} distinct, ${outcomes.length - sent.length} duplicates)`,
      `applied ${byKey.size}, refused ${outcomes.filter((o) => o.refusal).length}`,
      ...[...refusals].map(([reason, count]) => `  ${count} x ${reason}`),
      `accounts ${accountItems.length}, house shards ${shardItems.length}, entries ${entries.length}, sum of all balances ${total}`,
    ].join('\n'),
  );
  // Refusals are business reasons (400) or a duplicate arriving while its original is still being
  // applied (409): never a server error.
  expect(outcomes.filter((o) => o.status !== 201 && o.status !== 400 && o.status !== 409)).toEqual([]);
});
