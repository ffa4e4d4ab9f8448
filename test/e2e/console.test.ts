import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot } from '@test/browser';
import { dynamoClientFor, stackState } from '@test/emulators';
import { startLocalStack, type LocalStack } from '@test/local-stack';
import { eventually, scenario } from '@test/scenario';

/*
 * The back-office console in a real headless Chromium against the real local runtime (`npm start`, which
 * builds and serves web/ at /console/). Every screen leaves a screenshot in test-results/console/.
 */

// Fraud scoring and the audit trail follow the table's stream: on a loaded machine they lag by seconds.
jest.setTimeout(240_000);

let stack: LocalStack;
let world: ReturnType<typeof scenario>;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startLocalStack(), launchChromium()]);
  world = scenario(stack);
}, 120_000);

afterAll(async () => {
  await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
  await browser?.close();
  await stack?.stop();
});

/** A fresh browser profile (nothing shared between users) on the console's sign-in page. */
const openConsole = async (): Promise<Page> => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${stack.baseUrl}/console/`);
  await page.getByRole('heading', { name: 'Core Banking back office' }).waitFor();
  return page;
};

const signIn = async (page: Page, username: string, password: string) => {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
};

/** Waits for a live region (role status or alert) to say `text`, and returns its full text. */
const announced = async (page: Page, text: string | RegExp): Promise<string> => {
  const region = page
    .locator('[aria-live], [role="alert"], [role="status"]')
    .filter({ hasText: text })
    .first();
  await region.waitFor();
  return (await region.textContent()) ?? '';
};

describe('the back-office console', () => {
  it('refuses a customer with a clear message and revokes the session it had to open', async () => {
    const customer = await world.customer();
    const page = await openConsole();
    await screenshot(page, '01-sign-in');

    const logout = page.waitForResponse((response) => response.url().endsWith('/api/auth/logout/'));
    await signIn(page, customer.body.username, customer.body.password);
    const message = await announced(page, 'bank staff');
    expect(message).toContain('Customers cannot sign in here');
    expect((await logout).status()).toBe(200);
    expect(await page.getByRole('navigation').count()).toBe(0);
    await screenshot(page, '02-customer-refused');
  });

  it('lets a bank admin approve a pending registration, after which the customer can open an account', async () => {
    const customer = await world.customer();
    const [admin, otherAdmin, contested] = await Promise.all([
      world.staff('BANK_ADMIN'),
      world.staff('BANK_ADMIN'),
      world.customer(),
    ]);
    const before = await world.api('POST', '/api/accounts/', {
      token: customer.token,
      body: { account_type: 'SAVINGS' },
    });
    expect(before.status).toBe(403);

    const page = await openConsole();
    const login = page.waitForResponse((response) => response.url().endsWith('/api/auth/login/'));
    await signIn(page, admin.username, 'StaffPass123!');
    const { refresh } = (await (await login).json()) as { refresh: string };
    await page.getByRole('heading', { name: 'KYC review queue' }).waitFor();
    const review = page.getByRole('button', { name: `Review ${customer.body.username}` });
    await review.waitFor();
    const queued = page.getByRole('row').filter({ hasText: customer.body.username });
    await queued.getByText(`***-**-${customer.body.ssn.slice(-4)}`).waitFor();
    await screenshot(page, '03-kyc-queue');

    await review.click();
    await page.getByRole('heading', { name: `Review ${customer.body.username}` }).waitFor();
    const panel = page.getByRole('region', { name: 'Case review' });
    const panelText = (await panel.textContent()) ?? '';
    expect(panelText).toContain(`***-**-${customer.body.ssn.slice(-4)}`);
    expect(panelText).toContain('AGE');
    expect(await page.content()).not.toContain(customer.body.ssn);
    // A decision without a reason is not sent.
    await page.getByRole('radio', { name: 'Approve' }).check();
    await page.getByRole('button', { name: 'Submit decision' }).click();
    expect(await announced(page, 'Choose a decision and give a reason')).toBeTruthy();
    await page.getByLabel(/^Reason/).fill('Documents match the registration');
    await screenshot(page, '04-kyc-review');
    await page.getByRole('button', { name: 'Submit decision' }).click();
    expect(await announced(page, `Approved: ${customer.body.username}`)).toContain('left the queue');
    expect(await review.count()).toBe(0);
    await screenshot(page, '05-kyc-approved');

    const opened = await world.api('POST', '/api/accounts/', {
      token: customer.token,
      body: { account_type: 'SAVINGS' },
    });
    expect(opened.status).toBe(201);

    // Another admin decides first: the console shows the conflict instead of a second decision.
    await page.getByRole('button', { name: `Review ${contested.body.username}` }).click();
    await page.getByRole('radio', { name: 'Reject' }).check();
    await page.getByLabel(/^Reason/).fill('Name does not match the document');
    const first = await world.api('PUT', `/api/users/${contested.id}/`, {
      token: otherAdmin.token,
      body: { kyc_status: 'APPROVED', reason: 'Checked by phone' },
    });
    expect(first.status).toBe(200);
    await page.getByRole('button', { name: 'Submit decision' }).click();
    expect(await announced(page, 'another admin decided this case first')).toContain('Not applied');
    await screenshot(page, '06-kyc-conflict');
    const contestedNow = await world.api('GET', `/api/users/${contested.id}/`, { token: admin.token });
    expect(contestedNow.body.kyc_status).toBe('APPROVED');

    // Users: KYC status and risk profile; an expired access token is refreshed once and the call retried.
    let refused = false;
    await page.route('**/api/users/?*', async (route) => {
      if (refused) return route.continue();
      refused = true;
      await route.fulfill({ status: 401, contentType: 'application/json', body: '{"error":"expired"}' });
    });
    const refreshed = page.waitForResponse((response) => response.url().endsWith('/api/auth/refresh/'));
    await page.getByRole('link', { name: 'Users' }).click();
    expect((await refreshed).status()).toBe(200);
    await page.getByLabel('Search').fill(customer.body.username);
    const row = page.getByRole('row').filter({ hasText: customer.body.username });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/APPROVED.*LOW/);
    await screenshot(page, '07-users');

    // Signing out revokes the refresh token and leaves nothing behind in the page's storage.
    expect(
      await page.evaluate<number>('localStorage.length + sessionStorage.length + document.cookie.length'),
    ).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Core Banking back office' }).waitFor();
    const reuse = await world.api('POST', '/api/auth/refresh/', { body: { refresh } });
    expect(reuse.status).toBe(401);
  });

  it('lets a bank admin resolve a fraud alert, releasing its hold', async () => {
    const [{ payer: alice, from: alices, transfer }, admin] = await Promise.all([
      world.largeTransferToNewPayee(),
      world.staff('BANK_ADMIN'),
    ]);
    expect(transfer.status).toBe(201);
    const found = await eventually(
      () =>
        world.api(
          'GET',
          `/api/fraud-alerts/?customer_id=${String(alice.registered.customer_id)}&severity=HIGH`,
          {
            token: admin.token,
          },
        ),
      (response) => (response.body.results as unknown[] | undefined)?.length === 1,
      60_000,
    );
    const alertId = String((found.body.results as { alert_id: string }[])[0]?.alert_id);

    const page = await openConsole();
    await signIn(page, admin.username, 'StaffPass123!');
    await page.getByRole('heading', { name: 'KYC review queue' }).waitFor();
    await page.getByRole('link', { name: 'Fraud alerts' }).click();
    await page.getByRole('heading', { name: 'Fraud alerts' }).waitFor();
    await page.getByLabel('Severity').selectOption('HIGH');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('button', { name: `Open ${alertId}` }).click();
    const detail = page.getByRole('region', { name: 'Alert detail' });
    await page.getByRole('heading', { name: `Alert ${alertId}` }).waitFor();
    const text = (await detail.textContent()) ?? '';
    for (const expected of [
      'LARGE_AMOUNT',
      'NEW_ACCOUNT',
      'NEW_COUNTERPARTY',
      String(transfer.body.transaction_id),
      '6000.00',
      'HOLD',
      '-2501.00',
      'Active until the alert is closed',
    ]) {
      expect(text).toContain(expected);
    }
    await screenshot(page, '08-fraud-alert');

    await page.getByLabel('New status').selectOption('FALSE_POSITIVE');
    await page.getByLabel('Note').fill('Customer confirmed the payment by phone');
    await page.getByRole('button', { name: 'Save status' }).click();
    expect(await announced(page, `${alertId} is now FALSE_POSITIVE`)).toBeTruthy();
    await detail.getByText('Released (the alert is closed)').waitFor();
    await screenshot(page, '09-fraud-alert-resolved');

    const account = await world.api('GET', `/api/accounts/${alices}/`, { token: alice.token });
    expect(account.body).toMatchObject({ balance: '3499.00', available_balance: '3499.00' });
    const alert = await world.api('GET', `/api/fraud-alerts/${alertId}/`, { token: admin.token });
    expect(alert.body).toMatchObject({ status: 'FALSE_POSITIVE' });
  });

  it('lets an auditor read the alerts, filter the audit trail and verify the chain, also when it is broken', async () => {
    const [auditor, customer] = await Promise.all([world.staff('AUDITOR'), world.approvedCustomer()]);
    await eventually(
      () => world.api('GET', `/api/audit-logs/?username=${customer.body.username}`, { token: auditor.token }),
      (response) => ((response.body.results as unknown[] | undefined) ?? []).length > 0,
      60_000,
    );

    const page = await openConsole();
    // Keyboard only: the form is reachable and submittable without a mouse.
    await page.keyboard.type(auditor.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type('StaffPass123!');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Fraud alerts' }).waitFor();
    expect(await page.getByRole('link', { name: 'KYC review' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await announced(page, /alerts? shown/);
    await screenshot(page, '10-alerts-auditor');

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByLabel('User (username)').fill(customer.body.username);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('row').filter({ hasText: 'User registered' }).first().waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    const valid = await announced(page, 'Chain valid.');
    expect(valid).toMatch(/Checked \d+ records/);
    await screenshot(page, '11-audit-verified');

    const client = dynamoClientFor(stack.dataDir);
    await client.send(
      new UpdateItemCommand({
        TableName: stackState(stack.dataDir).tableName,
        Key: { PK: { S: 'AUDIT#LOG' }, SK: { S: '000000000003' } },
        UpdateExpression: 'SET description = :forged',
        ExpressionAttributeValues: { ':forged': { S: 'Nothing happened here' } },
      }),
    );
    client.destroy();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    const broken = await announced(page, 'Chain BROKEN.');
    expect(broken).toContain('First broken link: sequence 3 (LOG000000000003)');
    await screenshot(page, '12-audit-broken');
  });
});
