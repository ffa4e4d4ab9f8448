import { classify } from '@domain/audit/classify';
import { diff } from '@domain/audit/record';
import { streamHandler, type ChangeRecord } from '@kit/stream';
import { auditStore } from '@services/audit';

const store = auditStore();

/**
 * When the change happened: the item's own time where it records one (the stream's approximate creation
 * time is coarse, to the minute in DynamoDB Local), else the stream's.
 */
const eventTime = (change: ChangeRecord): string => {
  const item = change.newImage ?? change.oldImage ?? {};
  const own = [item.transactionDate, item.at, item.createdAt, item.placedAt].find(
    (value): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value)),
  );
  const when = change.eventName === 'INSERT' && own ? new Date(own) : change.at;
  return when.toISOString().replace(/\.\d{3}Z$/, 'Z');
};

/** Every change in the table (the stream filter leaves out the trail's own items) becomes an audit record. */
export const handler = streamHandler('AuditTrail', async (change) => {
  const facts = classify(change);
  const sub =
    facts.actorSub ?? (facts.actorUserId !== null ? await store.subByUserId(facts.actorUserId) : null);
  const actor = sub
    ? { sub, ...(await store.actorBySub(sub)) }
    : { sub: null, username: null, customerId: null };
  await store.append({
    actionType: facts.actionType,
    actor,
    targetModel: facts.targetModel,
    targetId: facts.targetId,
    description: facts.description,
    ipAddress: facts.ipAddress,
    userAgent: facts.userAgent,
    timestamp: eventTime(change),
    changes: diff(change.oldImage, change.newImage),
    sourceEventId: change.eventId,
  });
});
