import { routeById } from '@contract/routes';
import { openAccount } from '@domain/ledger/banking';
import { bankingCallerOf } from '@kit/banking-caller';
import { callerOf, httpHandler } from '@kit/http';
import { idempotencyKeyOf } from '@kit/money-fields';
import { ledger } from '@services/ledger';
import { systemClock, userRepository } from '@services/users';
import { createAccountBody } from './schema';

const users = userRepository();
const ports = { ledger: ledger(), now: systemClock };

/** POST /api/accounts/ (KYC-approved customers and admins). */
export const handler = httpHandler(
  { route: routeById('CreateAccount'), body: createAccountBody },
  async (request) => {
    const caller = await bankingCallerOf(users, callerOf(request));
    return openAccount(ports, caller, {
      accountType: request.body.account_type,
      minimumBalance: request.body.minimum_balance,
      idempotencyKey: idempotencyKeyOf(request.headers),
    });
  },
);
