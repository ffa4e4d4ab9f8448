import { routeById } from '@contract/routes';
import { transactionHistoryView } from '@domain/ledger/banking';
import { callerOf, httpHandler } from '@kit/http';
import { pageOf } from '@kit/pagination';
import { ledger } from '@services/ledger';
import { listTransactionsQuery as query } from './schema';

const transactions = ledger();

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
