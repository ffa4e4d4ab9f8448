import { ConflictError, ValidationError } from '@domain/errors';
import { isoSeconds } from '@domain/identity/user';
import { AccountStatusRefusedError, type Ledger } from '@domain/ledger/ports';
import { NEXT_STATUSES, type AlertStatus, type FraudAlert } from './alerts';

export interface AlertReviewPorts {
  alerts: {
    require(alertId: string): Promise<FraudAlert>;
    transition(
      alert: FraudAlert,
      status: AlertStatus,
      note: { note: string; by: string; at: string },
    ): Promise<FraudAlert>;
  };
  ledger: Pick<Ledger, 'releaseHold'>;
  now: () => Date;
}

/**
 * A bank admin moves an alert along OPEN -> INVESTIGATING -> RESOLVED | FALSE_POSITIVE with a note;
 * closing it releases the hold it placed.
 */
export async function reviewAlert(
  ports: AlertReviewPorts,
  input: { alertId: string; status: AlertStatus; note: string; adminSub: string },
): Promise<FraudAlert> {
  const alert = await ports.alerts.require(input.alertId);
  if (!NEXT_STATUSES[alert.status].includes(input.status)) {
    if (NEXT_STATUSES[alert.status].length === 0)
      throw new ConflictError(`The alert is already ${alert.status}.`);
    throw new ValidationError({
      status: [
        `Cannot move from ${alert.status} to ${input.status}: choose ${NEXT_STATUSES[alert.status].join(', ')}.`,
      ],
    });
  }
  const at = isoSeconds(ports.now());
  const updated = await ports.alerts.transition(alert, input.status, {
    note: input.note,
    by: input.adminSub,
    at,
  });
  const closing = input.status === 'RESOLVED' || input.status === 'FALSE_POSITIVE';
  if (closing && alert.holdId && alert.accountNumber) {
    try {
      await ports.ledger.releaseHold(alert.accountNumber, alert.holdId, at);
    } catch (error) {
      // Released already (or never placed because the account closed): nothing left to release.
      if (!(error instanceof AccountStatusRefusedError)) throw error;
    }
  }
  return updated;
}
