import { queryOf } from '../api';
import { field, formatTime, h, liveRegion, replace } from '../dom';
import { pagedTable } from '../table';
import { filterForm, messageOf, screen, type ScreenContext } from './context';

interface AuditEntry {
  log_id: string;
  action_type: string;
  user: { username: string | null; customer_id: string | null };
  target_model: string;
  target_id: string;
  description: string;
  ip_address: string | null;
  timestamp: string;
  sequence: number;
}

interface Verification {
  valid: boolean;
  from_seq: number;
  to_seq: number;
  head_seq: number;
  checked: number;
  first_broken_link: { sequence: number; log_id: string; reason: string } | null;
}

const input = (name: string, type = 'text', extra: Record<string, string> = {}) =>
  h('input', { name, type, autocomplete: 'off', ...extra });

/** Auditors: the audit trail, filtered, and the hash chain's verification. */
export const auditScreen = ({ api }: ScreenContext): HTMLElement => {
  const status = liveRegion();
  const verdict = h('div', { class: 'verdict', role: 'status', 'aria-live': 'polite' });
  const username = input('username');
  const action = input('action_type', 'text', { placeholder: 'e.g. LOGIN, KYC_DECISION, CREATE' });
  const target = input('target_model', 'text', { placeholder: 'e.g. User, Transaction, Account' });
  const from = input('from', 'date');
  const to = input('to', 'date');

  const trail = pagedTable<AuditEntry>({
    api,
    caption: 'Audit records, newest first',
    empty: 'No audit records match these filters.',
    onError: (error) => status.error(messageOf(error)),
    columns: [
      { header: 'Time', cell: (entry) => formatTime(entry.timestamp) },
      { header: 'Seq', cell: (entry) => entry.sequence },
      { header: 'Action', cell: (entry) => entry.action_type },
      { header: 'User', cell: (entry) => entry.user.username ?? entry.user.customer_id ?? '—' },
      { header: 'Target', cell: (entry) => `${entry.target_model} ${entry.target_id}` },
      { header: 'Description', cell: (entry) => entry.description },
      { header: 'Address', cell: (entry) => entry.ip_address ?? '—' },
    ],
  });

  const search = async () => {
    const shown = await trail.load(
      `/api/audit-logs/${queryOf({
        username: username.value,
        action_type: action.value,
        target_model: target.value,
        from: from.value,
        to: to.value,
        page_size: '50',
      })}`,
    );
    status.info(`${shown} audit record${shown === 1 ? '' : 's'} shown.`);
  };

  const verify = async () => {
    replace(verdict, 'Verifying the hash chain…');
    try {
      const result = await api.get<Verification>('/api/audit-logs/verify/');
      const broken = result.first_broken_link;
      verdict.className = `verdict ${result.valid ? 'ok' : 'broken'}`;
      replace(
        verdict,
        h('strong', {}, result.valid ? 'Chain valid.' : 'Chain BROKEN.'),
        ` Checked ${result.checked} record${result.checked === 1 ? '' : 's'} (sequence ${result.from_seq} to ${result.to_seq}; head ${result.head_seq}).`,
        broken ? ` First broken link: sequence ${broken.sequence} (${broken.log_id}): ${broken.reason}.` : '',
      );
    } catch (error) {
      verdict.className = 'verdict broken';
      replace(verdict, `Verification failed: ${messageOf(error)}`);
    }
  };

  return screen(
    'Audit log',
    'Every change in the bank, append-only and hash-chained. Verifying recomputes the whole chain and names the first broken link.',
    h(
      'div',
      { class: 'toolbar' },
      h('button', { type: 'button', onclick: () => void verify() }, 'Verify chain'),
      verdict,
    ),
    filterForm(
      'Filter the audit trail',
      [
        field('User (username)', username),
        field('Action', action),
        field('Target (model)', target),
        field('From date', from),
        field('To date', to),
      ],
      search,
      status,
    ),
    status.element,
    trail.element,
  );
};
