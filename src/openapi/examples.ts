/*
 * Examples shown in the documentation. Those marked "seed" are the seed's own request and response
 * examples, verbatim; the others follow the same story (John Doe, CUST1234567890). The unit tests parse
 * every example with the schema it illustrates, so an example cannot drift from the contract.
 */

/** seed: POST /api/auth/register/ request */
export const registerRequest = {
  username: 'john_doe',
  email: 'john.doe@example.com',
  password: 'SecurePass123!',
  confirm_password: 'SecurePass123!',
  first_name: 'John',
  last_name: 'Doe',
  phone_number: '+1234567890',
  date_of_birth: '1990-01-15',
  ssn: '123-45-6789',
  address: '123 Main St, City, State, ZIP',
};

/** seed: POST /api/auth/register/ 201 */
export const registration = {
  id: 1,
  username: 'john_doe',
  email: 'john.doe@example.com',
  first_name: 'John',
  last_name: 'Doe',
  customer_id: 'CUST1234567890',
  kyc_status: 'PENDING',
  risk_profile: 'LOW',
  is_account_verified: false,
};

/** seed: POST /api/auth/register/ 400 */
export const registrationErrors = {
  username: ['A user with that username already exists.'],
  email: ['Enter a valid email address.'],
  confirm_password: ["Password fields didn't match."],
};

/** seed: POST /api/auth/login/ request */
export const loginRequest = { username: 'john_doe', password: 'SecurePass123!' };

/** seed: POST /api/auth/login/ 200 */
export const loginResponse = {
  access: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9...',
  refresh: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9...',
  user: {
    id: 1,
    username: 'john_doe',
    email: 'john.doe@example.com',
    customer_id: 'CUST1234567890',
    kyc_status: 'APPROVED',
    risk_profile: 'LOW',
  },
};

export const refreshRequest = {
  refresh: 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ...',
};
export const refreshResponse = { access: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9...' };
export const logoutResponse = { detail: 'Successfully logged out.' };

/** seed: GET /api/profile/ 200 */
export const profile = {
  id: 1,
  username: 'john_doe',
  email: 'john.doe@example.com',
  first_name: 'John',
  last_name: 'Doe',
  phone_number: '+1234567890',
  customer_id: 'CUST1234567890',
  kyc_status: 'APPROVED',
  risk_profile: 'LOW',
  is_account_verified: true,
  two_factor_enabled: false,
  roles: [{ id: 1, name: 'CUSTOMER', description: 'Bank Customer' }],
  date_joined: '2024-01-15T10:30:00Z',
  last_login: '2024-01-15T12:45:00Z',
};

/** seed: PUT /api/profile/ request */
export const updateProfileRequest = {
  first_name: 'John',
  last_name: 'Doe Updated',
  phone_number: '+1234567890',
};

export const updateProfileErrors = { ssn: ['This field cannot be updated.'] };

const adminUserListItem = {
  id: 1,
  username: 'john_doe',
  email: 'john.doe@example.com',
  first_name: 'John',
  last_name: 'Doe',
  customer_id: 'CUST1234567890',
  kyc_status: 'PENDING',
  kyc_reason: null,
  risk_profile: 'LOW',
  is_account_verified: false,
  roles: [{ id: 1, name: 'CUSTOMER', description: 'Bank Customer' }],
  date_joined: '2024-01-15T10:30:00Z',
  last_login: '2024-01-15T12:45:00Z',
};

export const userList = { count: 1, next: null, previous: null, results: [adminUserListItem] };

export const adminUser = {
  ...adminUserListItem,
  phone_number: '+1234567890',
  date_of_birth: '1990-01-15',
  ssn_masked: '***-**-6789',
  address_masked: '1** M*** S*, C***, S****, Z**',
};

/** seed: PUT /api/users/{user_id}/ request (a rejection also carries `reason`) */
export const decideKycRequest = { kyc_status: 'APPROVED' };

export const decidedUser = { ...adminUserListItem, kyc_status: 'APPROVED', is_account_verified: true };

export const kycQueue = {
  count: 1,
  next: null,
  previous: null,
  results: [
    {
      user_id: 1,
      customer_id: 'CUST1234567890',
      username: 'john_doe',
      first_name: 'John',
      last_name: 'Doe',
      kyc_status: 'PENDING',
      case_status: 'PENDING',
      opened_at: '2024-01-15T10:30:00Z',
      escalated_at: null,
      pre_check_summary: 'CLEAR',
      pre_checks: [
        { check: 'AGE', outcome: 'PASS', detail: 'Age 34 meets the minimum of 18.' },
        {
          check: 'DUPLICATE_IDENTITY',
          outcome: 'PASS',
          detail: 'No other customer has this name and date of birth.',
        },
        { check: 'WATCH_LIST', outcome: 'PASS', detail: 'No watch-list match.' },
        { check: 'IDENTITY_DOCUMENT', outcome: 'PASS', detail: 'A verified identity document is on file.' },
      ],
      failure: null,
      identity_document_verified: true,
      documents: [
        {
          document_id: 'DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1',
          document_type: 'PASSPORT',
          status: 'VERIFIED',
          reason: null,
          duplicate_file: false,
          uploaded_at: '2024-01-15T10:35:12Z',
        },
      ],
    },
  ],
};

export const notifications = {
  count: 1,
  next: null,
  previous: null,
  results: [
    {
      notification_id: 'kyc-approved-1',
      type: 'KYC_APPROVED',
      title: 'Your identity is verified',
      message: 'Your KYC verification was approved. You can now open accounts and make transactions.',
      created_at: '2024-01-15T11:00:00Z',
      data: { user_id: 1, customer_id: 'CUST1234567890' },
    },
  ],
};

/** seed: POST /api/accounts/ request */
export const createAccountRequest = { account_type: 'SAVINGS', minimum_balance: '100.00' };

/** seed: POST /api/accounts/ 201 (plus `maturity_date`, null but for fixed deposits) */
export const account = {
  id: 1,
  account_number: 'SAV123456789',
  account_type: 'SAVINGS',
  balance: '0.00',
  available_balance: '0.00',
  status: 'ACTIVE',
  interest_rate: '0.00',
  minimum_balance: '100.00',
  daily_transaction_limit: '50000.00',
  single_transaction_limit: '10000.00',
  created_at: '2024-01-15T11:00:00Z',
  maturity_date: null,
};

/** seed: GET /api/accounts/ 200 (its `count` of 2 with the second account, the seed's transfer target) */
export const accountList = {
  count: 2,
  next: null,
  previous: null,
  results: [
    {
      id: 1,
      account_number: 'SAV123456789',
      account_type: 'SAVINGS',
      balance: '1000.00',
      available_balance: '900.00',
      status: 'ACTIVE',
      minimum_balance: '100.00',
      created_at: '2024-01-15T11:00:00Z',
    },
    {
      id: 2,
      account_number: 'SAV987654321',
      account_type: 'SAVINGS',
      balance: '1000.00',
      available_balance: '1000.00',
      status: 'ACTIVE',
      minimum_balance: '0.00',
      created_at: '2024-01-15T11:05:00Z',
    },
  ],
};

/** GET /api/accounts/{account_number}/: the seed's account with its balance and a 100.00 hold. */
export const accountWithHold = { ...account, balance: '1000.00', available_balance: '900.00' };

export const freezeAccountRequest = { status: 'FROZEN' };
export const frozenAccount = { ...accountWithHold, status: 'FROZEN' };

/** seed: POST /api/transactions/ request (transfer) */
export const transferRequest = {
  transaction_type: 'TRANSFER',
  from_account_number: 'SAV123456789',
  to_account_number: 'SAV987654321',
  amount: '100.00',
  description: 'Transfer to savings',
};

/** seed: POST /api/transactions/ request (deposit) */
export const depositRequest = {
  transaction_type: 'DEPOSIT',
  to_account_number: 'SAV123456789',
  amount: '500.00',
  description: 'Initial deposit',
};

/**
 * seed: POST /api/transactions/ 201 (transfer). `id` is the transaction id here (the seed shows an
 * integer), and the body carries the request's `description`.
 */
export const transaction = {
  id: 'TXN12345ABC',
  transaction_id: 'TXN12345ABC',
  transaction_type: 'TRANSFER',
  amount: '100.00',
  fee: '1.00',
  status: 'COMPLETED',
  description: 'Transfer to savings',
  from_account: { account_number: 'SAV123456789', balance: '900.00' },
  to_account: { account_number: 'SAV987654321', balance: '1100.00' },
  transaction_date: '2024-01-15T12:00:00Z',
  processed_date: '2024-01-15T12:00:01Z',
};

/** The seed's transfer as the history shows it: no balances. */
export const transactionHistoryItem = {
  ...transaction,
  from_account: { account_number: 'SAV123456789' },
  to_account: { account_number: 'SAV987654321' },
};

export const transactionHistory = {
  count: 2,
  next: null,
  previous: null,
  results: [
    transactionHistoryItem,
    {
      id: 'TXN01HN3K2B7QWE',
      transaction_id: 'TXN01HN3K2B7QWE',
      transaction_type: 'DEPOSIT',
      amount: '500.00',
      fee: '0.00',
      status: 'COMPLETED',
      description: 'Initial deposit',
      from_account: null,
      to_account: { account_number: 'SAV123456789' },
      transaction_date: '2024-01-15T11:30:00Z',
      processed_date: '2024-01-15T11:30:00Z',
    },
  ],
};

export const statement = {
  account_number: 'SAV123456789',
  from: '2024-01-01',
  to: '2024-01-31',
  opening_balance: '0.00',
  closing_balance: '399.00',
  entries: [
    {
      transaction_id: 'TXN01HN3K2B7QWE',
      transaction_type: 'DEPOSIT',
      description: 'Initial deposit',
      amount: '500.00',
      balance: '500.00',
      date: '2024-01-15T11:30:00Z',
    },
    {
      transaction_id: 'TXN12345ABC',
      transaction_type: 'TRANSFER',
      description: 'Transfer to savings',
      amount: '-101.00',
      balance: '399.00',
      date: '2024-01-15T12:00:00Z',
    },
  ],
};

export const placeHoldRequest = { amount: '100.00', reason: 'Pending card authorisation' };

export const hold = {
  hold_id: 'HOLD01HN3K5QZ8XY',
  account_number: 'SAV123456789',
  amount: '100.00',
  reason: 'Pending card authorisation',
  status: 'ACTIVE',
  placed_at: '2024-01-15T12:30:00Z',
  released_at: null,
};

export const releasedHold = { ...hold, status: 'RELEASED', released_at: '2024-01-16T09:00:00Z' };

/** seed: GET /api/fraud-alerts/ 200 item, with the fields the seed leaves out */
export const fraudAlert = {
  alert_id: 'ALERT123ABC',
  alert_type: 'SUSPICIOUS_TRANSACTION',
  severity: 'HIGH',
  status: 'OPEN',
  title: 'Large Unusual Transaction',
  description: 'Transaction amount exceeds normal pattern',
  risk_score: 75,
  reason_codes: ['LARGE_AMOUNT', 'UNUSUAL_AMOUNT', 'NEW_COUNTERPARTY'],
  transaction_id: 'TXN12345ABC',
  account_number: 'SAV123456789',
  customer_id: 'CUST1234567890',
  hold_id: 'HOLD123ABC',
  notes: [],
  created_at: '2024-01-15T10:00:00Z',
};

export const fraudAlerts = { count: 1, next: null, previous: null, results: [fraudAlert] };

export const updateFraudAlertRequest = {
  status: 'INVESTIGATING',
  note: 'Calling the customer to confirm the transfer.',
};

export const investigatedAlert = {
  ...fraudAlert,
  status: 'INVESTIGATING',
  notes: [
    {
      status: 'INVESTIGATING',
      note: 'Calling the customer to confirm the transfer.',
      by: '8a4b0c1d-0000-4000-8000-000000000002',
      at: '2024-01-15T10:20:00Z',
    },
  ],
};

/** seed: GET /api/audit-logs/ 200 item, with the fields the seed leaves out */
export const auditLogs = {
  count: 1,
  next: null,
  previous: null,
  results: [
    {
      log_id: 'LOG123ABC',
      action_type: 'CREATE',
      user: { username: 'john_doe', customer_id: 'CUST1234567890' },
      target_model: 'Transaction',
      target_id: 'TXN12345ABC',
      description: 'Transaction created',
      ip_address: '192.168.1.1',
      user_agent: 'Mozilla/5.0',
      timestamp: '2024-01-15T12:00:00Z',
      changes: {
        amount: { after: 10000 },
        status: { after: 'COMPLETED' },
      },
      sequence: 42,
      hash: '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8',
      previous_hash: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    },
  ],
};

export const auditVerification = {
  valid: true,
  from_seq: 1,
  to_seq: 42,
  head_seq: 42,
  checked: 42,
  first_broken_link: null,
};

export const brokenAuditVerification = {
  valid: false,
  from_seq: 1,
  to_seq: 42,
  head_seq: 42,
  checked: 16,
  first_broken_link: {
    sequence: 17,
    log_id: 'LOG000000000017',
    reason: 'record content does not match its hash',
  },
};

export const apiRoot = {
  name: 'Core Banking API',
  version: '0.1.0',
  description: 'Customer registration with KYC review, accounts and a double-entry ledger.',
  links: {
    self: 'http://localhost:8000/',
    docs: 'http://localhost:8000/api/docs/swagger/',
    openapi: 'http://localhost:8000/api/openapi.json',
  },
};

export const requestUpload = {
  document_type: 'PASSPORT',
  document_number: 'X1234567',
  content_type: 'application/pdf',
  size_bytes: 48213,
};

const passport = {
  document_id: 'DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1',
  document_type: 'PASSPORT',
  content_type: 'application/pdf',
  status: 'VERIFIED',
  reason: null,
  document_number_last4: '4567',
  size_bytes: 48213,
  declared_size_bytes: 48213,
  created_at: '2024-01-15T10:34:50Z',
  uploaded_at: '2024-01-15T10:35:12Z',
};

export const documentUpload = {
  ...passport,
  status: 'AWAITING_UPLOAD',
  size_bytes: null,
  uploaded_at: null,
  upload: {
    url: 'https://core-banking-dev-kyc-documents-123456789012-us-east-1.s3.us-east-1.amazonaws.com/',
    fields: {
      'Content-Type': 'application/pdf',
      bucket: 'core-banking-dev-kyc-documents-123456789012-us-east-1',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'ASIA.../20240115/us-east-1/s3/aws4_request',
      'X-Amz-Date': '20240115T103450Z',
      'X-Amz-Security-Token': 'IQoJb3JpZ2luX2Vj...',
      key: 'kyc/CUST1234567890/DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1',
      Policy: 'eyJleHBpcmF0aW9uIjoi...',
      'X-Amz-Signature': '0f1e2d3c...',
    },
  },
  expires_at: '2024-01-15T10:39:50Z',
};

export const documentList = { count: 1, next: null, previous: null, results: [passport] };

export const adminDocumentList = {
  count: 1,
  next: null,
  previous: null,
  results: [
    {
      ...passport,
      user_id: 1,
      customer_id: 'CUST1234567890',
      sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      duplicate_file: false,
      checked_at: '2024-01-15T10:35:13Z',
      view_url:
        'https://core-banking-dev-kyc-documents-123456789012-us-east-1.s3.us-east-1.amazonaws.com/kyc/CUST1234567890/DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=300&...',
      view_url_expires_at: '2024-01-15T11:05:00Z',
    },
  ],
};
