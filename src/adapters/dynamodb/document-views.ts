import type { DocumentViewLog } from '@domain/documents/ports';
import type { SecurityEvents } from '@domain/identity/ports';

/**
 * Staff views of KYC documents as security events: the table's stream turns each into a permanent,
 * hash-chained audit record (who, which user and documents, when, from which address).
 */
export class SecurityEventDocumentViewLog implements DocumentViewLog {
  constructor(private readonly events: SecurityEvents) {}

  async recordView(input: Parameters<DocumentViewLog['recordView']>[0]): Promise<void> {
    await this.events.record({
      action: 'KYC_DOCUMENT_VIEWED',
      description: `KYC documents of user ${input.userId} viewed: ${input.documentIds.join(', ')}`,
      actorSub: input.actorSub,
      targetSub: input.targetSub,
      ip: input.ip,
      userAgent: input.userAgent,
    });
  }
}
