import { routeById } from '@contract/routes';
import { changeAccountStatus } from '@domain/ledger/admin';
import { httpHandler } from '@kit/http';
import { ledger } from '@services/ledger';
import { updateAccountStatusBody as body } from './schema';

const accounts = ledger();

/** PATCH /api/accounts/{account_number}/ (bank admins): freeze, unfreeze or close. */
export const handler = httpHandler(
  { route: routeById('UpdateAccountStatus'), body, unknownKeyMessage: 'This field cannot be updated.' },
  async (request) => ({
    statusCode: 200,
    body: await changeAccountStatus(
      accounts,
      request.pathParameters.account_number ?? '',
      request.body.status,
    ),
  }),
);
