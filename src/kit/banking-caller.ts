import type { UserRepository } from '@domain/identity/ports';
import { PermissionDeniedError } from '@domain/errors';
import type { Caller as BankingCaller } from '@domain/ledger/banking';
import type { Caller } from './identity';

/** The verified caller with their current profile (the KYC gate reads its status, never the token's). */
export const bankingCallerOf = async (
  users: Pick<UserRepository, 'getBySub'>,
  caller: Caller,
): Promise<BankingCaller> => {
  const user = await users.getBySub(caller.sub);
  if (!user) throw new PermissionDeniedError();
  return { user, groups: caller.groups };
};
