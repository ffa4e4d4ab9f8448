import { kycCases } from './kyc';

/**
 * Open KYC cases (PENDING or ESCALATED): the local runtime restarts their in-memory workflow executions
 * after a restart. On AWS, executions are durable and this is not needed.
 */
export async function listOpenKycCases(): Promise<{ userId: number }[]> {
  const repository = kycCases();
  const open: { userId: number }[] = [];
  let cursor: string | undefined;
  do {
    const page = await repository.listOpen({ limit: 100, cursor });
    open.push(...page.items.map((item) => ({ userId: item.userId })));
    cursor = page.next ?? undefined;
  } while (cursor);
  return open;
}
