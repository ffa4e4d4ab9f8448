import { ApiError, queryOf } from '../api';
import { field, formatTime, h, liveRegion, replace, select } from '../dom';
import { pagedTable } from '../table';
import { badge, closePanel, filterForm, isAdmin, messageOf, screen, type ScreenContext } from './context';

interface AlertNote {
  status: string;
  note: string;
  by: string;
  at: string;
}

interface FraudAlert {
  alert_id: string;
  severity: string;
  status: string;
  title: string;
  description: string;
  risk_score: number;
  reason_codes: string[];
  transaction_id: string;
  account_number: string | null;
  customer_id: string | null;
  hold_id: string | null;
  notes: AlertNote[];
  created_at: string;
}

interface Transaction {
  transaction_id: string;
  transaction_type: string;
  amount: string;
  fee: string;
  status: string;
  from_account: { account_number: string } | null;
  to_account: { account_number: string } | null;
  transaction_date: string;
}

interface Account {
  account_number: string;
  status: string;
  balance: string;
  available_balance: string;
}

const STATUSES = ['OPEN', 'INVESTIGATING', 'RESOLVED', 'FALSE_POSITIVE'] as const;
const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
/** The review path: OPEN -> INVESTIGATING -> RESOLVED | FALSE_POSITIVE (closed alerts stay closed). */
const NEXT_STATUSES: Record<string, readonly string[]> = {
  OPEN: ['INVESTIGATING', 'RESOLVED', 'FALSE_POSITIVE'],
  INVESTIGATING: ['RESOLVED', 'FALSE_POSITIVE'],
};

/** What each rule means, for the reviewer (src/domain/fraud/rules.ts). */
const REASONS: Record<string, string> = {
  LARGE_AMOUNT: 'Amount of 5000.00 or more',
  UNUSUAL_AMOUNT: "Over 5x the median of the customer's earlier outgoing amounts",
  HIGH_VELOCITY: '5 or more transactions in 10 minutes',
  NEW_ACCOUNT: 'Account opened less than 24 hours before',
  NEW_COUNTERPARTY: 'First transfer or payment to that account',
  NEAR_DAILY_LIMIT: '80 % of the daily limit used',
  REPEATED_REFUSALS: '3 or more refused attempts in an hour',
};

const options = (values: readonly string[], any: string) =>
  [['', any] as const, ...values.map((value) => [value, value.replace('_', ' ')] as const)] as const;

/** Bank admins and auditors: fraud alerts by status and severity; admins move them along with a note. */
export const alertsScreen = ({ api, user }: ScreenContext): HTMLElement => {
  const status = liveRegion();
  const panel = h('section', { class: 'panel', hidden: true, 'aria-label': 'Alert detail' });
  const statusFilter = select('status', options(STATUSES, 'Any status'), 'OPEN');
  const severityFilter = select('severity', options(SEVERITIES, 'Any severity'));

  const list = pagedTable<FraudAlert>({
    api,
    caption: 'Fraud alerts, newest first',
    empty: 'No alerts match these filters.',
    onError: (error) => status.error(messageOf(error)),
    columns: [
      { header: 'Raised', cell: (alert) => formatTime(alert.created_at) },
      { header: 'Alert', cell: (alert) => alert.alert_id },
      { header: 'Severity', cell: (alert) => badge(alert.severity) },
      { header: 'Status', cell: (alert) => badge(alert.status) },
      { header: 'Score', cell: (alert) => alert.risk_score },
      { header: 'Customer', cell: (alert) => alert.customer_id ?? '—' },
      { header: 'Title', cell: (alert) => alert.title },
      {
        header: 'Action',
        cell: (alert) =>
          h(
            'button',
            {
              type: 'button',
              'aria-label': `Open ${alert.alert_id}`,
              onclick: () => void open(alert.alert_id),
            },
            'Open',
          ),
      },
    ],
  });

  const listPath = () =>
    `/api/fraud-alerts/${queryOf({ status: statusFilter.value, severity: severityFilter.value, page_size: '50' })}`;
  const search = async () => {
    const shown = await list.load(listPath());
    status.info(`${shown} alert${shown === 1 ? '' : 's'} shown.`);
  };

  const open = async (alertId: string) => {
    panel.hidden = false;
    replace(panel, h('p', {}, 'Loading the alert…'));
    try {
      const alert = await api.get<FraudAlert>(`/api/fraud-alerts/${encodeURIComponent(alertId)}/`);
      const [transaction, account] = await Promise.all([
        api
          .get<Transaction>(`/api/transactions/${encodeURIComponent(alert.transaction_id)}/`)
          .catch(() => null),
        alert.account_number
          ? api.get<Account>(`/api/accounts/${encodeURIComponent(alert.account_number)}/`).catch(() => null)
          : Promise.resolve(null),
      ]);
      renderDetail(alert, transaction, account);
    } catch (error) {
      replace(panel, h('p', { role: 'alert' }, messageOf(error)));
    }
  };

  const renderDetail = (alert: FraudAlert, transaction: Transaction | null, account: Account | null) => {
    const heading = h('h2', { tabindex: -1 }, `Alert ${alert.alert_id}`);
    const next = NEXT_STATUSES[alert.status] ?? [];
    replace(
      panel,
      heading,
      h(
        'p',
        {},
        badge(alert.severity),
        ' ',
        badge(alert.status),
        ` ${alert.title} — risk score ${alert.risk_score}/100`,
      ),
      h('p', {}, alert.description),
      h('h3', {}, 'Reason codes'),
      h(
        'ul',
        { class: 'reasons' },
        alert.reason_codes.map((code) => h('li', {}, h('code', {}, code), ` ${REASONS[code] ?? ''}`)),
      ),
      h('h3', {}, 'Transaction'),
      transaction
        ? h(
            'dl',
            { class: 'facts' },
            h('dt', {}, 'Id'),
            h('dd', {}, transaction.transaction_id),
            h('dt', {}, 'Type'),
            h('dd', {}, transaction.transaction_type),
            h('dt', {}, 'Amount'),
            h('dd', {}, `${transaction.amount} (fee ${transaction.fee}, ${transaction.status})`),
            h('dt', {}, 'From'),
            h('dd', {}, transaction.from_account?.account_number ?? '—'),
            h('dt', {}, 'To'),
            h('dd', {}, transaction.to_account?.account_number ?? '—'),
            h('dt', {}, 'At'),
            h('dd', {}, formatTime(transaction.transaction_date)),
          )
        : h('p', {}, `${alert.transaction_id} (details unavailable)`),
      h('h3', {}, 'Hold'),
      alert.hold_id
        ? h(
            'dl',
            { class: 'facts' },
            h('dt', {}, 'Hold'),
            h('dd', {}, alert.hold_id),
            h('dt', {}, 'Account'),
            h('dd', {}, alert.account_number ?? '—'),
            h('dt', {}, 'Balance'),
            h('dd', {}, account?.balance ?? '—'),
            h('dt', {}, 'Available'),
            h('dd', {}, account?.available_balance ?? '—'),
            h('dt', {}, 'Held'),
            h(
              'dd',
              {},
              ['RESOLVED', 'FALSE_POSITIVE'].includes(alert.status)
                ? 'Released (the alert is closed)'
                : 'Active until the alert is closed',
            ),
          )
        : h('p', {}, 'No hold: only HIGH and CRITICAL alerts hold the amount.'),
      h('h3', {}, 'Review trail'),
      alert.notes.length === 0
        ? h('p', {}, 'No review yet.')
        : h(
            'ol',
            { class: 'notes' },
            alert.notes.map((note) =>
              h('li', {}, `${formatTime(note.at)} — `, badge(note.status), ` ${note.note}`),
            ),
          ),
      isAdmin(user) && next.length > 0 ? statusForm(alert, next) : null,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => closePanel(panel) }, 'Close'),
      ),
    );
    heading.focus();
  };

  const statusForm = (alert: FraudAlert, next: readonly string[]) => {
    const nextStatus = select(
      'status',
      next.map((value) => [value, value.replace('_', ' ')] as const),
    );
    const note = h('textarea', { name: 'note', required: true, rows: 3, maxlength: 1000 });
    const formError = h('p', { class: 'error', role: 'alert' });
    const form = h(
      'form',
      { 'aria-label': `Change the status of ${alert.alert_id}`, novalidate: true },
      h('h3', {}, 'Change status'),
      field(
        'New status',
        nextStatus,
        'Resolving or marking a false positive closes the alert and releases its hold.',
      ),
      field('Note', note),
      formError,
      h('button', { type: 'submit' }, 'Save status'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!note.value.trim()) {
        formError.textContent = 'A note is required.';
        return;
      }
      void api
        .request<FraudAlert>('PATCH', `/api/fraud-alerts/${encodeURIComponent(alert.alert_id)}/`, {
          status: nextStatus.value,
          note: note.value.trim(),
        })
        .then(async (updated) => {
          status.info(`${updated.alert_id} is now ${updated.status}.`);
          await open(updated.alert_id);
          await list.load(listPath());
        })
        .catch((error: unknown) => {
          status.error(
            error instanceof ApiError && error.status === 409
              ? `Not applied: ${error.message}`
              : messageOf(error),
          );
        });
    });
    return form;
  };

  return screen(
    'Fraud alerts',
    isAdmin(user)
      ? 'Alerts raised by fraud scoring. Open one to see its reasons, transaction and hold, and to move it along with a note.'
      : 'Alerts raised by fraud scoring (read only for auditors).',
    filterForm(
      'Filter alerts',
      [field('Status', statusFilter), field('Severity', severityFilter)],
      search,
      status,
    ),
    status.element,
    list.element,
    panel,
  );
};
