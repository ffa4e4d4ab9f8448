import { z } from 'zod';
import { routeById } from '@contract/routes';
import { transactionHistoryView } from '@domain/ledger/banking';
import { TRANSACTION_TYPES } from '@domain/ledger/products';
import { dateParam } from '@kit/date-fields';
import { callerOf, httpHandler } from '@kit/http';
import { accountNumberField } from '@kit/money-fields';
import { pageOf, pageQuery } from '@kit/pagination';
import { ledger } from '@services/ledger';

const transactions = ledger();

const query = z.object({
  ...pageQuery,
  transaction_type: z
    .enum(TRANSACTION_TYPES, `Select a valid choice: ${TRANSACTION_TYPES.join(', ')}.`)
    .optional(),
  account_number: accountNumberField.optional(),
  from: dateParam.optional(),
  to: dateParam.optional(),
});

/** GET /api/transactions/: the caller's own transactions, newest first, filtered and cursor-paginated. */
export const handler = httpHandler({ route: routeById('ListTransactions'), query }, async (request) => {
  const { page_size, cursor, transaction_type, account_number, from, to } = request.params;
  // Ownership: the history read is the verified caller's own partition.
  const page = await transactions.listTransactions(callerOf(request).sub, {
    limit: page_size,
    cursor,
    type: transaction_type,
    account: account_number,
    from: from && `${from}T00:00:00.000Z`,
    to: to && `${to}T23:59:59.999Z~`,
  });
  return { statusCode: 200, body: pageOf(request, page, page.items.map(transactionHistoryView)) };
});
