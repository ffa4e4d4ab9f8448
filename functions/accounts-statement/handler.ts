import { routeById } from '@contract/routes';
import { ValidationError } from '@domain/errors';
import { statement } from '@domain/ledger/banking';
import { bankingCallerOf } from '@kit/banking-caller';
import { callerOf, httpHandler } from '@kit/http';
import { ledger } from '@services/ledger';
import { systemClock, userRepository } from '@services/users';
import { statementQuery as query } from './schema';

const users = userRepository();
const ports = { ledger: ledger(), now: systemClock };

/** GET /api/accounts/{account_number}/statement/?from=&to= (default: this calendar month to today). */
export const handler = httpHandler({ route: routeById('AccountStatement'), query }, async (request) => {
  const caller = await bankingCallerOf(users, callerOf(request));
  const today = new Date().toISOString().slice(0, 10);
  const from = request.params.from ?? `${today.slice(0, 8)}01`;
  const to = request.params.to ?? today;
  if (from > to) throw new ValidationError({ from: ['Must not be after to.'] });
  const body = await statement(ports, caller, {
    accountNumber: request.pathParameters.account_number ?? '',
    from,
    to,
  });
  return { statusCode: 200, body };
});
