import { ROUTES } from '@contract/routes';
import { ROLES, type Role } from '@contract/roles';
import { startLocalStack, type LocalStack } from '@test/local-stack';
import { scenario } from '@test/scenario';

/*
 * The seed's role matrix, checked route by route for every role against the manifest (the one table of
 * who may call what): an allowed role is never refused with 403, any other role always is, and an
 * anonymous caller gets 401 on every protected route.
 */
jest.setTimeout(120_000);

let stack: LocalStack;
const tokens: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  stack = await startLocalStack();
  const world = scenario(stack);
  const [customer, admin, auditor] = await Promise.all([
    world.approvedCustomer(),
    world.staff('BANK_ADMIN'),
    world.staff('AUDITOR'),
  ]);
  tokens.CUSTOMER = customer.token;
  tokens.BANK_ADMIN = admin.token;
  tokens.AUDITOR = auditor.token;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

/** Path parameters that name nothing: an allowed caller gets 404/400, never 403. */
const concretePath = (path: string) =>
  path
    .replace('{user_id}', '999999')
    .replace('{account_number}', 'SAV000000000')
    .replace('{transaction_id}', 'TXN000000000000')
    .replace('{alert_id}', 'ALERT000000000000')
    .replace('{hold_id}', 'HOLD000000000000')
    .replace('{document_id}', 'DOC00000000000000000000000000')
    .replace('{asset}', 'swagger-ui.css');

const protectedRoutes = ROUTES.filter((route) => route.access !== 'public');

describe.each(protectedRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
  '%s',
  (_name, route) => {
    it.each(ROLES.map((role) => [role, (route.access as readonly Role[]).includes(role)] as const))(
      '%s allowed: %s',
      async (role, allowed) => {
        const world = scenario(stack);
        const response = await world.api(route.method, concretePath(route.path), {
          token: tokens[role],
          body: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
        });
        if (allowed) expect(response.status).not.toBe(403);
        else {
          expect(response.status).toBe(403);
          expect(response.body).toEqual({ error: 'You do not have permission to perform this action.' });
        }
      },
    );

    it('refuses an anonymous caller with 401', async () => {
      const response = await scenario(stack).api(route.method, concretePath(route.path), {
        body: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
      });
      expect(response.status).toBe(401);
    });
  },
);
