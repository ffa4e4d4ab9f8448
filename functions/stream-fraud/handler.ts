import { scoreTransaction } from '@domain/fraud/scoring';
import type { TransactionRecord } from '@domain/ledger/ports';
import { logger } from '@kit/logger';
import { streamHandler } from '@kit/stream';
import { fraudStore } from '@services/fraud';

const store = fraudStore();
const ports = {
  facts: store.facts.bind(store),
  customerIdOf: store.customerIdOf.bind(store),
  createAlert: store.createAlert.bind(store),
  placeHold: store.placeHold.bind(store),
  raiseRiskProfile: store.raiseRiskProfile.bind(store),
  now: () => new Date(),
};

/** Scores every new transaction (the stream delivers only Transaction INSERTs here, by filter). */
export const handler = streamHandler('FraudScoring', async (change) => {
  if (change.eventName !== 'INSERT' || change.newImage?.entity !== 'Transaction') return;
  const result = await scoreTransaction(ports, change.newImage as unknown as TransactionRecord);
  if (result.alert) {
    logger.info('Fraud alert', {
      alertId: result.alert.alertId,
      score: result.score,
      severity: result.alert.severity,
    });
  }
});
