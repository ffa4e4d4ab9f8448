import { routeById } from '@contract/routes';
import { holdView, releaseHold } from '@domain/ledger/admin';
import { httpHandler } from '@kit/http';
import { ledger } from '@services/ledger';

const accounts = ledger();

/** DELETE /api/accounts/{account_number}/holds/{hold_id}/ (bank admins): release a hold. */
export const handler = httpHandler({ route: routeById('ReleaseHold') }, async ({ pathParameters }) => {
  const hold = await releaseHold(accounts, {
    accountNumber: pathParameters.account_number ?? '',
    holdId: pathParameters.hold_id ?? '',
    now: new Date(),
  });
  return { statusCode: 200, body: holdView(hold) };
});
