import { planPosting, shardOf } from '@domain/ledger/posting';
import { HOUSE_SHARDS, TRANSACTION_TYPES, type TransactionType } from '@domain/ledger/products';

const sav = { accountNumber: 'SAV000000001', accountType: 'SAVINGS' as const };
const cur = { accountNumber: 'CUR000000002', accountType: 'CURRENT' as const };

const sides: Record<TransactionType, { from?: typeof sav; to?: typeof sav | typeof cur }> = {
  DEPOSIT: { to: sav },
  WITHDRAWAL: { from: sav },
  TRANSFER: { from: sav, to: cur },
  PAYMENT: { from: sav },
  FEE: { from: sav },
  INTEREST: { to: sav },
};

describe('planPosting', () => {
  it.each(TRANSACTION_TYPES)('balances a %s to exactly zero', (type) => {
    for (const amount of [1, 99, 100_00, 999_999_99]) {
      const posting = planPosting({ transactionId: `TXN${amount}`, type, amount, ...sides[type] });
      expect(posting.legs.reduce((sum, leg) => sum + leg.amount, 0)).toBe(0);
    }
  });

  it("charges the seed's 1.00 fee on a transfer, to fee income", () => {
    const posting = planPosting({
      transactionId: 'TXN1',
      type: 'TRANSFER',
      amount: 100_00,
      from: sav,
      to: cur,
    });

    expect(posting.fee).toBe(1_00);
    expect(posting.debit).toEqual({ accountNumber: 'SAV000000001', total: 101_00 });
    expect(posting.credit).toEqual({ accountNumber: 'CUR000000002', amount: 100_00 });
    expect(posting.legs).toContainEqual(
      expect.objectContaining({ kind: 'HOUSE', house: 'FEE_INCOME', amount: 1_00 }),
    );
  });

  it('takes a deposit from cash and gives a withdrawal back to it', () => {
    const deposit = planPosting({ transactionId: 'TXN2', type: 'DEPOSIT', amount: 500_00, to: sav });
    const withdrawal = planPosting({ transactionId: 'TXN3', type: 'WITHDRAWAL', amount: 200_00, from: sav });

    expect(deposit.legs).toEqual([
      { kind: 'CUSTOMER', accountNumber: 'SAV000000001', amount: 500_00 },
      { kind: 'HOUSE', house: 'CASH', shard: shardOf('TXN2'), amount: -500_00 },
    ]);
    expect(withdrawal.debit).toEqual({ accountNumber: 'SAV000000001', total: 200_00 });
  });

  it('spreads transactions over every house-account shard', () => {
    const used = new Set(Array.from({ length: 2000 }, (_, i) => shardOf(`TXN${i}`)));
    expect(used.size).toBe(HOUSE_SHARDS);
  });
});
