import { runPreChecks } from '@domain/kyc/review';
import { caseInput } from '@kit/kyc-inputs';
import { requireIdentityDocument } from '@kit/config';
import { taskHandler } from '@kit/task';
import { documentRepository } from '@services/documents';
import { kycCases, watchList } from '@services/kyc';
import { identityIndex } from '@services/kyc-identity-index';
import { systemClock, userRepository } from '@services/users';

const ports = {
  users: userRepository(),
  cases: kycCases(),
  watchList: watchList(),
  identities: identityIndex(),
  documents: documentRepository(),
  requireIdentityDocument: requireIdentityDocument(),
  now: systemClock,
};

export const handler = taskHandler({ id: 'KycPreChecks', input: caseInput }, async ({ userId }) =>
  runPreChecks(ports, userId),
);
