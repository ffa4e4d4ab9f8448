import { z } from 'zod';
import { routeById } from '@contract/routes';
import { changeAccountStatus } from '@domain/ledger/admin';
import { ACCOUNT_STATUSES } from '@domain/ledger/products';
import { httpHandler } from '@kit/http';
import { ledger } from '@services/ledger';

const accounts = ledger();

const body = z.strictObject({
  status: z.enum(ACCOUNT_STATUSES, `Select a valid choice: ${ACCOUNT_STATUSES.join(', ')}.`),
});

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
