import * as z from 'zod';
import { routeById } from '@contract/routes';
import { adminUserListView, KYC_STATUSES } from '@domain/identity/user';
import { httpHandler } from '@kit/http';
import { pageOf, pageQuery } from '@kit/pagination';
import { userRepository } from '@services/users';

const users = userRepository();

const query = z.object({
  ...pageQuery,
  kyc_status: z.enum(KYC_STATUSES, `Select a valid choice: ${KYC_STATUSES.join(', ')}.`).optional(),
});

/** GET /api/users/ (bank admins): every user, or those with one KYC status, oldest first. */
export const handler = httpHandler({ route: routeById('ListUsers'), query }, async (request) => {
  const { page_size, cursor, kyc_status } = request.params;
  const page = await users.list({ kycStatus: kyc_status, limit: page_size, cursor });
  return { statusCode: 200, body: pageOf(request, page, page.items.map(adminUserListView)) };
});
