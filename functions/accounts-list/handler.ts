import * as z from 'zod';
import { routeById } from '@contract/routes';
import { accountListView } from '@domain/ledger/account';
import { callerOf, httpHandler } from '@kit/http';
import { pageOf, pageQuery } from '@kit/pagination';
import { ledger } from '@services/ledger';

const accounts = ledger();

/** GET /api/accounts/: the caller's own accounts, oldest first, in the seed's page shape. */
export const handler = httpHandler(
  { route: routeById('ListAccounts'), query: z.object(pageQuery) },
  async (request) => {
    // Ownership: the owner is the verified token subject, never a parameter.
    const page = await accounts.listAccounts(callerOf(request).sub, {
      limit: request.params.page_size,
      cursor: request.params.cursor,
    });
    return { statusCode: 200, body: pageOf(request, page, page.items.map(accountListView)) };
  },
);
