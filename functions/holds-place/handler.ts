import { routeById } from '@contract/routes';
import { holdView, placeHold } from '@domain/ledger/admin';
import { callerOf, httpHandler } from '@kit/http';
import { ledger } from '@services/ledger';
import { placeHoldBody as body } from './schema';

const accounts = ledger();

/** POST /api/accounts/{account_number}/holds/ (bank admins): reserve part of the balance. */
export const handler = httpHandler({ route: routeById('PlaceHold'), body }, async (request) => {
  const hold = await placeHold(accounts, {
    accountNumber: request.pathParameters.account_number ?? '',
    amount: request.body.amount,
    reason: request.body.reason,
    placedBy: callerOf(request).sub,
    now: new Date(),
  });
  return { statusCode: 201, body: holdView(hold) };
});
