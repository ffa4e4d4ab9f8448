import { routeById } from '@contract/routes';
import { createTransaction } from '@domain/ledger/banking';
import { bankingCallerOf } from '@kit/banking-caller';
import { callerOf, httpHandler } from '@kit/http';
import { logger } from '@kit/logger';
import { idempotencyKeyOf } from '@kit/money-fields';
import { ledger } from '@services/ledger';
import { systemClock, userRepository } from '@services/users';
import { createTransactionBody } from './schema';

const users = userRepository();
const ports = { ledger: ledger(), now: systemClock };

/** POST /api/transactions/: one balanced posting, written atomically. */
export const handler = httpHandler(
  { route: routeById('CreateTransaction'), body: createTransactionBody },
  async (request) => {
    const caller = await bankingCallerOf(users, callerOf(request));
    const { body } = request;
    const result = await createTransaction(ports, caller, {
      transactionType: body.transaction_type,
      amount: body.amount,
      fromAccountNumber: body.from_account_number,
      toAccountNumber: body.to_account_number,
      description: body.description,
      idempotencyKey: idempotencyKeyOf(request.headers),
      requestIp: request.sourceIp,
      userAgent: request.userAgent,
    });
    logger.info('Transaction posted', { type: body.transaction_type, status: result.statusCode });
    return result;
  },
);
