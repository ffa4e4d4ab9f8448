import { startLocalStack, type LocalStack } from '@test/local-stack';
import { eventually, scenario } from '@test/scenario';

/*
 * The review's deadlines with a short configuration: no decision within the decision timeout escalates
 * the case (admins are told again); none within the escalation timeout expires it, and the customer is
 * rejected with that reason and told so.
 */
jest.setTimeout(90_000);

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ args: ['--kyc-decision-timeout', '3', '--kyc-escalation-timeout', '3'] });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

it('escalates, then expires an undecided case', async () => {
  const world = scenario(stack);
  const admin = await world.staff('BANK_ADMIN');
  const customer = await world.customer();

  const escalated = await eventually(
    () => world.api('GET', '/api/kyc/pending/?page_size=100', { token: admin.token }),
    (response) =>
      (response.body.results as { user_id: number; case_status: string }[]).some(
        (item) => item.user_id === customer.id && item.case_status === 'ESCALATED',
      ),
    15_000,
  );
  expect(escalated.status).toBe(200);
  // The escalation task marks the case, then notifies: the notice may follow the status by a moment.
  const adminInbox = await eventually(
    () => world.api('GET', '/api/notifications/', { token: admin.token }),
    (response) => (response.body.results as { type: string }[]).some((n) => n.type === 'KYC_CASE_ESCALATED'),
    10_000,
  );
  expect((adminInbox.body.results as { type: string }[]).map((n) => n.type)).toEqual(
    expect.arrayContaining(['KYC_CASE_OPENED', 'KYC_CASE_ESCALATED']),
  );

  const expired = await eventually(
    () => world.api('GET', '/api/profile/', { token: customer.token }),
    (response) => response.body.kyc_status === 'REJECTED',
    15_000,
  );
  expect(expired.body).toMatchObject({ kyc_status: 'REJECTED', is_account_verified: false });
  const inbox = await eventually(
    () => world.api('GET', '/api/notifications/', { token: customer.token }),
    (response) => (response.body.results as unknown[]).length > 0,
    10_000,
  );
  expect(inbox.body.results).toEqual([
    expect.objectContaining({ type: 'KYC_REJECTED', message: expect.stringContaining('expired') }),
  ]);
  const late = await world.api('PUT', `/api/users/${customer.id}/`, {
    token: admin.token,
    body: { kyc_status: 'APPROVED' },
  });
  expect(late.status).toBe(409);
  const queue = await world.api('GET', '/api/kyc/pending/?page_size=100', { token: admin.token });
  expect((queue.body.results as { user_id: number }[]).map((item) => item.user_id)).not.toContain(
    customer.id,
  );
});
