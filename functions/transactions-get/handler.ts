import { routeById } from '@contract/routes';
import { getTransactionFor, transactionHistoryView } from '@domain/ledger/banking';
import { bankingCallerOf } from '@kit/banking-caller';
import { callerOf, httpHandler } from '@kit/http';
import { ledger } from '@services/ledger';
import { systemClock, userRepository } from '@services/users';

const users = userRepository();
const ports = { ledger: ledger(), now: systemClock };

/** GET /api/transactions/{transaction_id}/: its parties, or staff. */
export const handler = httpHandler({ route: routeById('GetTransaction') }, async (request) => {
  const caller = await bankingCallerOf(users, callerOf(request));
  const record = await getTransactionFor(ports, caller, request.pathParameters.transaction_id ?? '');
  return { statusCode: 200, body: transactionHistoryView(record) };
});
