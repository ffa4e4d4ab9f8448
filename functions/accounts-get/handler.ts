import { routeById } from '@contract/routes';
import { accountView } from '@domain/ledger/account';
import { getOwnAccount } from '@domain/ledger/banking';
import { bankingCallerOf } from '@kit/banking-caller';
import { callerOf, httpHandler } from '@kit/http';
import { ledger } from '@services/ledger';
import { systemClock, userRepository } from '@services/users';

const users = userRepository();
const ports = { ledger: ledger(), now: systemClock };

/** GET /api/accounts/{account_number}/: the owner's (or staff's) view; anyone else gets 404. */
export const handler = httpHandler({ route: routeById('GetAccount') }, async (request) => {
  const caller = await bankingCallerOf(users, callerOf(request));
  const account = await getOwnAccount(ports, caller, request.pathParameters.account_number ?? '');
  return { statusCode: 200, body: accountView(account) };
});
