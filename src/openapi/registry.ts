import * as z from 'zod';
import type { RouteId } from '@contract/routes';
import { NEXT_STATUSES } from '@domain/fraud/alerts';
import { SEVERITY_BANDS } from '@domain/fraud/rules';
import { INVALID_CREDENTIALS } from '@domain/identity/login';
import { KYC_STATUSES } from '@domain/identity/user';
import { KYC_REQUIRED } from '@domain/kyc/gate';
import { REASON_REQUIRED } from '@domain/kyc/review';
import { formatMinor } from '@domain/ledger/money';
import { ACCOUNT_TYPES, FEES, formatRate, PRODUCTS, TRANSACTION_TYPES } from '@domain/ledger/products';
import { createAccountBody } from '@functions/accounts-create/schema';
import { statementQuery } from '@functions/accounts-statement/schema';
import { updateAccountStatusBody } from '@functions/accounts-update-status/schema';
import { listAuditLogsQuery } from '@functions/audit-logs-list/schema';
import { verifyAuditLogsQuery } from '@functions/audit-logs-verify/schema';
import { loginBody } from '@functions/auth-login/schema';
import { logoutBody } from '@functions/auth-logout/schema';
import { refreshBody } from '@functions/auth-refresh/schema';
import { registerBody } from '@functions/auth-register/schema';
import { updateProfileBody } from '@functions/profile-update/schema';
import { listFraudAlertsQuery } from '@functions/fraud-alerts-list/schema';
import { updateFraudAlertBody } from '@functions/fraud-alerts-update/schema';
import { placeHoldBody } from '@functions/holds-place/schema';
import { createTransactionBody } from '@functions/transactions-create/schema';
import { listTransactionsQuery } from '@functions/transactions-list/schema';
import { decideKycBody } from '@functions/users-decide-kyc/schema';
import { requestUploadBody } from '@functions/documents-request-upload/schema';
import { DOCUMENT_LIMITS } from '@contract/documents';
import { DUPLICATE_NUMBER, UPLOADS_CLOSED } from '@domain/documents/service';
import { IDENTITY_DOCUMENT_REQUIRED } from '@domain/kyc/prechecks';
import { pageQuery } from '@kit/pagination';
import * as examples from './examples';
import { AuditLogEntry, AuditVerification } from './schemas/audit';
import { AccountLocked, ErrorBody, page, ValidationErrors } from './schemas/common';
import { ApiRoot } from './schemas/docs';
import {
  AdminUser,
  AdminUserListItem,
  LoginResponse,
  LogoutResponse,
  Profile,
  RefreshResponse,
  Registration,
} from './schemas/identity';
import { FraudAlertView } from './schemas/fraud';
import { AdminKycDocument, DocumentUpload, KycDocument } from './schemas/documents';
import { KycQueueItem, Notification } from './schemas/kyc';
import {
  Account,
  AccountListItem,
  HoldView,
  Statement,
  Transaction,
  TransactionHistoryItem,
} from './schemas/ledger';
import { SWAGGER_ASSET_NAMES } from './swagger';

/*
 * What the route manifest does not say about a route: its request and response bodies. One entry per route
 * id; the compiler refuses a manifest route without an entry (and the openapi unit test names it).
 *
 * The document adds what every route shares (see `commonResponses` in ./document.ts): 401 and 403 on
 * routes with roles, 400 on routes with a body or a query, 415 on routes with a body, 429 and 500
 * everywhere. An entry lists the rest: its success status and the errors its handler raises itself.
 *
 * Adding a route:
 *   1. the request body and query: the handler's own zod schemas, exported from functions/<route>/schema.ts
 *      (the handler imports them from there too); a query's `.shape` with `queryDescriptions`;
 *   2. the response: a strict zod schema in ./schemas/<area>.ts mirroring the domain view that builds it,
 *      plus a line in test/unit/openapi-views.test.ts parsing that view's output with it;
 *   3. an example (./examples.ts); the seed's own example when it has one.
 */

export interface ResponseDoc {
  readonly description: string;
  /** The JSON body; omit for an empty body or with `contentType`. */
  readonly schema?: z.ZodType;
  readonly example?: unknown;
  /** For non-JSON answers (HTML, JavaScript, CSS): the media type, with a plain string body. */
  readonly contentType?: string;
  /** Response headers worth knowing (e.g. Retry-After, Location). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RouteDoc {
  /** Groups operations in Swagger UI. */
  readonly tag: Tag;
  /** Markdown shown under the summary (the summary itself is the manifest's). */
  readonly description?: string;
  readonly body?: { readonly schema: z.ZodType; readonly example?: unknown };
  /** Query parameters: the zod shape the handler parses (`@kit/pagination`'s `pageQuery` and friends). */
  readonly query?: z.ZodRawShape;
  /** Descriptions of query parameters by name (the handlers' schemas carry no documentation). */
  readonly queryDescriptions?: Readonly<Record<string, string>>;
  /** Request headers the handler reads, by name (e.g. Idempotency-Key). */
  readonly headers?: z.ZodRawShape;
  /** Path parameters by name; a `{name}` of the path without an entry is documented as a string. */
  readonly params?: Readonly<Record<string, z.ZodType>>;
  /** Statuses this route answers besides the common ones (which an entry may override). */
  readonly responses: Readonly<Record<number, ResponseDoc>>;
}

export const TAGS = {
  Auth: 'Registration, sign-in and tokens',
  Profile: "The caller's own profile",
  Users: 'Bank admins: users and KYC decisions',
  KYC: 'Bank admins: the KYC review queue',
  'KYC documents': 'Customers: identity documents uploaded straight to S3; bank admins: their review',
  Notifications: 'Notifications for the caller and their role',
  Accounts: 'Bank accounts: open, list, read and statements; bank admins: freeze, unfreeze, close',
  Transactions: 'Deposits, withdrawals, transfers and payments, and their history',
  Holds: 'Bank admins: holds on part of an account balance',
  'Fraud alerts': 'Bank admins and auditors: alerts raised by transaction scoring, and their review',
  Audit: 'Auditors: the hash-chained audit trail',
  Documentation: 'This documentation and the API root',
} as const;
export type Tag = keyof typeof TAGS;

const json = (description: string, schema: z.ZodType, example?: unknown): ResponseDoc => ({
  description,
  schema,
  example,
});

const error = (description: string, message: string): ResponseDoc =>
  json(description, ErrorBody, { error: message });

/** GET /api/users/ (functions/users-list/handler.ts parses the same shape). */
const usersQuery = {
  ...pageQuery,
  kyc_status: z.enum(KYC_STATUSES).optional().meta({ description: 'Only users with this KYC status' }),
};

const userIdParam = z.coerce
  .number()
  .int()
  .min(1)
  .meta({ description: "The user's integer `id`; anything else answers 404", example: 1 });

const USER_NOT_FOUND = error('No user with this id', 'User not found.');

/* Banking */

const accountNumberParam = z.string().meta({
  description: 'The account number: `SAV`, `CUR` or `FD` and 9 digits',
  example: 'SAV123456789',
});
const transactionIdParam = z.string().meta({ description: 'The transaction id', example: 'TXN12345ABC' });
const holdIdParam = z.string().meta({ description: 'The hold id', example: 'HOLD01HN3K5QZ8XY' });
const alertIdParam = z.string().meta({ description: 'The alert id', example: 'ALERT123ABC' });

const ACCOUNT_NOT_FOUND = error('No such account', 'Account not found.');
const OWN_ACCOUNT_NOT_FOUND = error(
  "No such account, or not the caller's (customers see only their own; staff see any)",
  'Account not found.',
);

/** The KYC gate of the banking routes that move money or open accounts. */
const KYC_GATE: ResponseDoc = error(
  "The caller is not in CUSTOMER or BANK_ADMIN, or the caller's KYC is not APPROVED",
  KYC_REQUIRED,
);

/** POST /api/accounts/ and POST /api/transactions/ read it (`@kit/money-fields`' idempotencyKeyOf). */
const idempotencyHeaders = {
  'Idempotency-Key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/)
    .optional()
    .meta({
      description:
        '1 to 255 printable ASCII characters, unique per intended request (a UUID, say). A retry with the ' +
        'same key and the same body answers the first response again without doing anything twice; keys ' +
        'are scoped to the caller and kept 24 hours.',
      example: '5f0c6a8e-3c1d-4b7a-9e2f-1a2b3c4d5e6f',
    }),
};

const IDEMPOTENCY_RESPONSES = {
  409: error(
    'A request with this Idempotency-Key is still in progress: retry it shortly',
    'A request with this Idempotency-Key is still in progress.',
  ),
  422: error(
    'This Idempotency-Key was already used with a different body',
    'This Idempotency-Key was already used with a different request.',
  ),
} satisfies Record<number, ResponseDoc>;

const IDEMPOTENCY_NOTE =
  'Send an `Idempotency-Key` header to retry safely: the same key with the same body answers the first ' +
  'response again; with a different body, 422; while the first request is still running, 409.';

const products = ACCOUNT_TYPES.map((type) => {
  const product = PRODUCTS[type];
  const { min, max, default: fallback } = product.minimumBalance;
  return (
    `| \`${type}\` | ${formatRate(product.interestRateBps)} % | ${formatMinor(min)} to ${formatMinor(max)} ` +
    `(default ${formatMinor(fallback)}) | ${formatMinor(product.singleTransactionLimit)} | ` +
    `${formatMinor(product.dailyTransactionLimit)} | ` +
    `${product.termMonths ? `no debits for ${product.termMonths} months` : '-'} |`
  );
});

const PRODUCT_TABLE = [
  '| Type | Interest | `minimum_balance` | Single limit | Daily limit | Term |',
  '| --- | --- | --- | --- | --- | --- |',
  ...products,
].join('\n');

const fees = TRANSACTION_TYPES.flatMap((type) => {
  const amounts = [...new Set(Object.values(FEES[type]))];
  if (amounts.length === 1 && amounts[0] === 0) return [];
  return [`${type} ${amounts.map(formatMinor).join(' or ')}`];
});

const savings = PRODUCTS.SAVINGS.minimumBalance;

const CLOSED_ACCOUNT = 'The account is closed.';

const SEVERITIES = SEVERITY_BANDS.map((band) => band.severity);
const dateFrom = 'From this calendar date (YYYY-MM-DD, UTC), inclusive';
const dateTo = 'To this calendar date (YYYY-MM-DD, UTC), inclusive';

export const ROUTE_DOCS = {
  RegisterUser: {
    tag: 'Auth',
    description:
      'Creates the customer with KYC status `PENDING`, risk profile `LOW` and the `CUSTOMER` role, and ' +
      'opens their KYC review. Username: letters, digits and `_`, unique case-insensitively. Email: valid, ' +
      'unique. Password: 8+ characters with an upper-case letter, a lower-case letter and a digit; ' +
      '`confirm_password` must match. Phone: `+` and 9-15 digits. Date of birth: `YYYY-MM-DD`, 18 or ' +
      'older. SSN: `NNN-NN-NNNN`, one account per SSN. SSN and address are stored encrypted and never ' +
      'returned.',
    body: { schema: registerBody, example: examples.registerRequest },
    responses: {
      201: json('Registered; KYC review pending', Registration, examples.registration),
      400: json('Invalid or duplicate fields, each named', ValidationErrors, examples.registrationErrors),
    },
  },
  LoginUser: {
    tag: 'Auth',
    description:
      '5 consecutive wrong passwords lock the user for 30 minutes (403 with `locked_until`). 5 failed ' +
      'attempts per minute from one address answer 429 with `Retry-After`.',
    body: { schema: loginBody, example: examples.loginRequest },
    responses: {
      200: json('Tokens and the user', LoginResponse, examples.loginResponse),
      401: error('Wrong username or password', INVALID_CREDENTIALS),
      403: json('Account locked', AccountLocked),
      429: {
        ...error(
          'Too many failed attempts from this address',
          'Too many login attempts from this address. Try again later.',
        ),
        headers: { 'Retry-After': 'Seconds until the address may try again' },
      },
    },
  },
  RefreshToken: {
    tag: 'Auth',
    body: { schema: refreshBody, example: examples.refreshRequest },
    responses: {
      200: json('A new access token', RefreshResponse, examples.refreshResponse),
      401: error('Refresh token invalid, expired or revoked', 'Token is invalid or expired'),
    },
  },
  LogoutUser: {
    tag: 'Auth',
    description: 'Revokes the refresh token; it can no longer be exchanged for access tokens.',
    body: { schema: logoutBody, example: examples.refreshRequest },
    responses: {
      200: json('Logged out', LogoutResponse, examples.logoutResponse),
      401: error('Refresh token invalid or expired', 'Token is invalid or expired'),
    },
  },
  GetProfile: {
    tag: 'Profile',
    responses: {
      200: json("The caller's profile with their roles", Profile, examples.profile),
      404: error('The caller has no profile', 'Profile not found.'),
    },
  },
  UpdateProfile: {
    tag: 'Profile',
    description:
      'Only `first_name`, `last_name` and `phone_number` may change; any other field (ssn, address, ' +
      'kyc_status, roles, ...) is refused by name with 400.',
    body: { schema: updateProfileBody, example: examples.updateProfileRequest },
    responses: {
      200: json('The updated profile', Profile, examples.profile),
      400: json('Invalid or read-only fields, each named', ValidationErrors, examples.updateProfileErrors),
    },
  },
  ListUsers: {
    tag: 'Users',
    query: usersQuery,
    responses: {
      200: json('One page of users, oldest first', page('UserPage', AdminUserListItem), examples.userList),
    },
  },
  GetUser: {
    tag: 'Users',
    description: 'SSN and address are decrypted only to be masked.',
    params: { user_id: userIdParam },
    responses: { 200: json('The user', AdminUser, examples.adminUser), 404: USER_NOT_FOUND },
  },
  DecideKyc: {
    tag: 'Users',
    description:
      '`APPROVED` verifies the customer (accounts and transactions open to them); `REJECTED` needs a ' +
      '`reason`, which the customer is told. An admin cannot decide their own case.',
    params: { user_id: userIdParam },
    body: { schema: decideKycBody, example: examples.decideKycRequest },
    responses: {
      200: json('The decided user', AdminUserListItem, examples.decidedUser),
      400: json('Invalid status, or a rejection without a reason', ValidationErrors, {
        reason: [REASON_REQUIRED],
      }),
      404: USER_NOT_FOUND,
      409: error(
        'The case is already decided, or (where the stage requires it) approval lacks a verified identity document',
        IDENTITY_DOCUMENT_REQUIRED,
      ),
    },
  },
  ListPendingKyc: {
    tag: 'KYC',
    query: pageQuery,
    responses: {
      200: json(
        'One page of open cases, oldest first',
        page('KycQueuePage', KycQueueItem),
        examples.kycQueue,
      ),
    },
  },
  RequestDocumentUpload: {
    tag: 'KYC documents',
    description:
      'Registers a document while your KYC review is `PENDING` and answers a presigned POST: send the ' +
      '`fields` as form fields, then the file as the last field `file` (e.g. `curl -F key=... -F ' +
      '"file=@passport.pdf" <url>`). Its policy fixes the object key, the content type and the size ' +
      `(1 B to ${DOCUMENT_LIMITS.maxBytes} B); it works for ${DOCUMENT_LIMITS.uploadUrlSeconds / 60} minutes. ` +
      'On arrival the file is checked (real type by its first bytes, exact declared size): the document ' +
      'becomes `VERIFIED` or `REJECTED` with a reason. The number is stored encrypted; one number belongs ' +
      'to one customer. A new document supersedes your previous one of the same type.',
    body: { schema: requestUploadBody, example: examples.requestUpload },
    responses: {
      201: json('The registered document and its upload form', DocumentUpload, examples.documentUpload),
      400: json('Bad type, size or number, or a number registered to another customer', ValidationErrors, {
        document_number: [DUPLICATE_NUMBER],
      }),
      409: error('The KYC review is already decided', UPLOADS_CLOSED),
    },
  },
  ListDocuments: {
    tag: 'KYC documents',
    query: pageQuery,
    responses: {
      200: json(
        'One page of your documents, newest first',
        page('KycDocumentPage', KycDocument),
        examples.documentList,
      ),
    },
  },
  GetDocument: {
    tag: 'KYC documents',
    params: {
      document_id: z
        .string()
        .meta({ description: 'The document id (`DOC...`)', example: 'DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1' }),
    },
    responses: {
      200: json('The document', KycDocument, examples.documentList.results[0]),
      404: error('Not one of your documents', 'Document not found.'),
    },
  },
  ListUserDocuments: {
    tag: 'KYC documents',
    description:
      "A user's documents, newest first. `VERIFIED` ones carry a `view_url`: a presigned GET valid " +
      `${DOCUMENT_LIMITS.viewUrlSeconds / 60} minutes. Handing out view links is an audit event ` +
      '(`KYC_DOCUMENT_VIEWED`: who, which documents, when, from which address).',
    params: { user_id: userIdParam },
    query: pageQuery,
    responses: {
      200: json(
        "One page of the user's documents",
        page('AdminKycDocumentPage', AdminKycDocument),
        examples.adminDocumentList,
      ),
      404: USER_NOT_FOUND,
    },
  },
  ListNotifications: {
    tag: 'Notifications',
    query: pageQuery,
    responses: {
      200: json(
        'One page of notifications, newest first',
        page('NotificationPage', Notification),
        examples.notifications,
      ),
    },
  },
  CreateAccount: {
    tag: 'Accounts',
    description:
      "Opens an `ACTIVE` account of a product for the caller, balance 0.00. The caller's KYC must be " +
      '`APPROVED` (403 otherwise). The products:\n\n' +
      `${PRODUCT_TABLE}\n\n${IDEMPOTENCY_NOTE}`,
    headers: idempotencyHeaders,
    body: { schema: createAccountBody, example: examples.createAccountRequest },
    responses: {
      201: json('The new account', Account, examples.account),
      400: json('Invalid fields, each named (a minimum balance out of range, say)', ValidationErrors, {
        minimum_balance: [
          `Ensure this value is between ${formatMinor(savings.min)} and ${formatMinor(savings.max)}.`,
        ],
      }),
      403: KYC_GATE,
      ...IDEMPOTENCY_RESPONSES,
    },
  },
  ListAccounts: {
    tag: 'Accounts',
    description: "Only the caller's own accounts, whatever their role.",
    query: pageQuery,
    responses: {
      200: json(
        "One page of the caller's accounts, oldest first",
        page('AccountPage', AccountListItem),
        examples.accountList,
      ),
    },
  },
  GetAccount: {
    tag: 'Accounts',
    description:
      'A customer sees only their own accounts; bank admins and auditors see any. `available_balance` is the balance less active holds.',
    params: { account_number: accountNumberParam },
    responses: { 200: json('The account', Account, examples.accountWithHold), 404: OWN_ACCOUNT_NOT_FOUND },
  },
  CreateTransaction: {
    tag: 'Transactions',
    description: [
      "Posts one balanced, atomic ledger transaction. The caller's KYC must be `APPROVED`.",
      "- `DEPOSIT`: `to_account_number`, one of the caller's own accounts (any account for bank admins).\n" +
        '- `WITHDRAWAL`: `from_account_number`.\n' +
        '- `TRANSFER`: `from_account_number` and `to_account_number` (any open account).\n' +
        '- `PAYMENT`: `from_account_number`, and `to_account_number` when the payee banks here.\n' +
        '- `FEE` (`from_account_number`) and `INTEREST` (`to_account_number`): bank admins only.',
      'Customers debit only their own accounts. ' +
        (fees.length > 0
          ? `Fees, debited on top of the amount: ${fees.join(', ')}. `
          : 'No transaction carries a fee. ') +
        "The balance after the transaction is shown for the caller's own accounts only.",
      'Business refusals answer 400 naming the field: insufficient funds (the balance would fall below ' +
        'the minimum balance; holds count), an account frozen or closed, a fixed deposit before ' +
        'maturity, the single or the daily transaction limit, an account not found, a deposit to ' +
        "someone else's account, an account field missing or not used by the type.",
      IDEMPOTENCY_NOTE,
    ].join('\n\n'),
    headers: idempotencyHeaders,
    body: { schema: createTransactionBody, example: examples.transferRequest },
    responses: {
      201: json('Posted', Transaction, examples.transaction),
      400: json('Invalid fields, or the transaction refused, the field named', ValidationErrors, {
        amount: ['Insufficient funds: the balance would fall below the minimum balance.'],
      }),
      403: {
        ...KYC_GATE,
        description: `${KYC_GATE.description}; or a customer asked for FEE or INTEREST ("FEE transactions are posted by the bank only.")`,
      },
      ...IDEMPOTENCY_RESPONSES,
    },
  },
  ListTransactions: {
    tag: 'Transactions',
    description: "Transactions touching the caller's own accounts. No balances: see the statement.",
    query: listTransactionsQuery.shape,
    queryDescriptions: {
      transaction_type: 'Only transactions of this type',
      account_number: 'Only transactions debiting or crediting this account',
      from: dateFrom,
      to: dateTo,
    },
    responses: {
      200: json(
        'One page of transactions, newest first',
        page('TransactionPage', TransactionHistoryItem),
        examples.transactionHistory,
      ),
    },
  },
  GetTransaction: {
    tag: 'Transactions',
    description:
      'A customer sees the transactions touching their own accounts; bank admins and auditors see any. No balances.',
    params: { transaction_id: transactionIdParam },
    responses: {
      200: json('The transaction', TransactionHistoryItem, examples.transactionHistoryItem),
      404: error("No such transaction, or not one of the caller's", 'Transaction not found.'),
    },
  },
  AccountStatement: {
    tag: 'Accounts',
    description:
      'The balance before `from`, every entry of the period with the running balance after it (debits ' +
      'and their fees negative), and the balance at the end of `to`. Default: this calendar month to ' +
      'today. A customer sees only their own accounts; bank admins and auditors see any.',
    params: { account_number: accountNumberParam },
    query: statementQuery.shape,
    queryDescriptions: {
      from: `${dateFrom}; default: the first day of this month`,
      to: `${dateTo}; default: today`,
    },
    responses: {
      200: json('The statement', Statement, examples.statement),
      400: json('A malformed date, or `from` after `to`', ValidationErrors, {
        from: ['Must not be after to.'],
      }),
      404: OWN_ACCOUNT_NOT_FOUND,
    },
  },
  UpdateAccountStatus: {
    tag: 'Accounts',
    description:
      '`FROZEN` stops debits (credits still arrive), `ACTIVE` unfreezes, `CLOSED` closes for good: only ' +
      'at zero balance with no active hold. A closed account changes no more. Any field but `status` is ' +
      'refused by name.',
    params: { account_number: accountNumberParam },
    body: { schema: updateAccountStatusBody, example: examples.freezeAccountRequest },
    responses: {
      200: json('The account with its new status', Account, examples.frozenAccount),
      400: json('An invalid status, or a field that cannot change', ValidationErrors, {
        balance: ['This field cannot be updated.'],
      }),
      404: ACCOUNT_NOT_FOUND,
      409: error(
        `The account cannot be closed (balance not zero, an active hold, or closed already), or it is closed ("${CLOSED_ACCOUNT}")`,
        'An account can be closed only at zero balance with no active holds, and only once.',
      ),
    },
  },
  PlaceHold: {
    tag: 'Holds',
    description:
      'Reserves part of the balance: `available_balance` drops by the amount until the hold is released, ' +
      'and debits may not use it.',
    params: { account_number: accountNumberParam },
    body: { schema: placeHoldBody, example: examples.placeHoldRequest },
    responses: {
      201: json('The hold, active', HoldView, examples.hold),
      404: ACCOUNT_NOT_FOUND,
      409: error('The account is closed', CLOSED_ACCOUNT),
    },
  },
  ReleaseHold: {
    tag: 'Holds',
    description: 'Gives the held amount back to `available_balance`.',
    params: { account_number: accountNumberParam, hold_id: holdIdParam },
    responses: {
      200: json('The hold, released', HoldView, examples.releasedHold),
      404: error('No such hold on this account', 'Hold not found.'),
      409: error('The hold is already released', 'The hold is already released.'),
    },
  },
  ListFraudAlerts: {
    tag: 'Fraud alerts',
    description:
      'Every transaction is scored by explainable rules (`reason_codes`); from a risk score of ' +
      `${SEVERITY_BANDS.at(-1)?.min ?? 0} it raises an alert, and HIGH and CRITICAL alerts also hold the ` +
      'amount on the debited account.',
    query: listFraudAlertsQuery.shape,
    queryDescriptions: {
      status: 'Only alerts in this status',
      severity: `Only alerts of this severity (${SEVERITIES.join(', ')})`,
      customer_id: 'Only the alerts of this customer (their `customer_id`, e.g. CUST1234567890)',
      from: dateFrom,
      to: dateTo,
    },
    responses: {
      200: json(
        'One page of alerts, newest first',
        page('FraudAlertPage', FraudAlertView),
        examples.fraudAlerts,
      ),
    },
  },
  GetFraudAlert: {
    tag: 'Fraud alerts',
    params: { alert_id: alertIdParam },
    responses: {
      200: json('The alert with its reason codes and review notes', FraudAlertView, examples.fraudAlert),
      404: error('No such alert', 'Alert not found.'),
    },
  },
  UpdateFraudAlert: {
    tag: 'Fraud alerts',
    description:
      'Moves the alert along `OPEN` -> `INVESTIGATING` -> `RESOLVED` | `FALSE_POSITIVE` (an open alert ' +
      'may close directly) with a note, kept in `notes`. Closing it releases the hold it placed. Any ' +
      'field but `status` and `note` is refused by name.',
    params: { alert_id: alertIdParam },
    body: { schema: updateFraudAlertBody, example: examples.updateFraudAlertRequest },
    responses: {
      200: json('The alert with its new status and note', FraudAlertView, examples.investigatedAlert),
      400: json('Invalid fields, or a move the alert cannot make', ValidationErrors, {
        status: [`Cannot move from INVESTIGATING to OPEN: choose ${NEXT_STATUSES.INVESTIGATING.join(', ')}.`],
      }),
      404: error('No such alert', 'Alert not found.'),
      409: error(
        'The alert is closed already (RESOLVED or FALSE_POSITIVE), or changed meanwhile ("The alert changed meanwhile; reload it.")',
        'The alert is already RESOLVED.',
      ),
    },
  },
  ListAuditLogs: {
    tag: 'Audit',
    description:
      "Every change to the data, as the table's change stream records it, with the actor where known and " +
      'PII redacted. Each record is chained to the one before by its hash (see the verify route).',
    query: listAuditLogsQuery.shape,
    queryDescriptions: {
      username: 'Only the actions of this user (their username)',
      customer_id: 'Only the actions of this customer',
      action_type: 'Only this action (CREATE, UPDATE, DELETE, LOGIN, KYC_DECISION, ...)',
      target_model: 'Only changes to this model (User, Account, Transaction, FraudAlert, ...)',
      from: dateFrom,
      to: dateTo,
    },
    responses: {
      200: json(
        'One page of audit records, newest first',
        page('AuditLogPage', AuditLogEntry),
        examples.auditLogs,
      ),
    },
  },
  VerifyAuditLogs: {
    tag: 'Audit',
    description:
      'Recomputes every hash of the range from the record before it. A broken chain is still a 200: ' +
      '`valid` is false and `first_broken_link` names the first record that does not hold.',
    query: verifyAuditLogsQuery.shape,
    queryDescriptions: {
      from_seq: 'The first sequence to check (default 1)',
      to_seq: 'The last sequence to check (default: the latest)',
    },
    responses: {
      200: json('The verification', AuditVerification, examples.auditVerification),
    },
  },
  ApiRoot: {
    tag: 'Documentation',
    responses: { 200: json('Name, version and links', ApiRoot, examples.apiRoot) },
  },
  GetOpenApiDocument: {
    tag: 'Documentation',
    description: "Generated from the route manifest and the handlers' own zod schemas.",
    responses: { 200: { description: 'The OpenAPI 3.1 document', contentType: 'application/json' } },
  },
  SwaggerUi: {
    tag: 'Documentation',
    description: 'Swagger UI for this document; its assets are served by this API (works offline).',
    responses: { 200: { description: 'The Swagger UI page', contentType: 'text/html' } },
  },
  SwaggerUiAsset: {
    tag: 'Documentation',
    params: {
      asset: z.enum(SWAGGER_ASSET_NAMES).meta({ description: 'One of the Swagger UI files' }),
    },
    responses: {
      200: { description: 'The file (JavaScript or CSS)', contentType: 'text/plain' },
      404: error('No such asset', 'Not found.'),
    },
  },
} satisfies Record<RouteId, RouteDoc>;
