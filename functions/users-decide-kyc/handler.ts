import { routeById } from '@contract/routes';
import { PermissionDeniedError } from '@domain/errors';
import { adminUserListView } from '@domain/identity/user';
import { decideKyc } from '@domain/kyc/review';
import { requireIdentityDocument } from '@kit/config';
import { callerOf, httpHandler } from '@kit/http';
import { logger } from '@kit/logger';
import { userIdParam } from '@kit/path-params';
import { documentRepository } from '@services/documents';
import { kycCases, kycWorkflow } from '@services/kyc';
import { systemClock, userRepository } from '@services/users';
import { decideKycBody } from './schema';

const ports = {
  users: userRepository(),
  cases: kycCases(),
  workflow: kycWorkflow(),
  now: systemClock,
  // The stage's policy: with it on, approval needs a verified identity document (409 otherwise).
  documents: documentRepository(),
  requireIdentityDocument: requireIdentityDocument(),
};

/** PUT /api/users/{user_id}/ (bank admins): approve or reject a pending KYC case. */
export const handler = httpHandler(
  { route: routeById('DecideKyc'), body: decideKycBody },
  async (request) => {
    const caller = callerOf(request);
    const admin = await ports.users.getBySub(caller.sub);
    if (!admin) throw new PermissionDeniedError();
    const user = await decideKyc(ports, {
      adminSub: caller.sub,
      adminUserId: admin.id,
      userId: userIdParam(request.pathParameters),
      status: request.body.kyc_status,
      reason: request.body.reason || undefined,
    });
    logger.info('KYC decided', { userId: user.id, status: user.kycStatus, adminId: admin.id });
    return { statusCode: 200, body: adminUserListView(user) };
  },
);
