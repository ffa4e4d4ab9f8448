import { ApiError } from '../api';
import { field, formatTime, h, liveRegion, replace, uid } from '../dom';
import { pagedTable } from '../table';
import { badge, closePanel, messageOf, screen, type ScreenContext } from './context';

interface PreCheck {
  check: string;
  outcome: 'PASS' | 'FLAG' | 'FAIL';
  detail: string;
}

interface KycCase {
  user_id: number;
  customer_id: string;
  username: string | null;
  first_name: string | null;
  last_name: string | null;
  case_status: string;
  opened_at: string;
  escalated_at: string | null;
  pre_check_summary: 'NOT_RUN' | 'CLEAR' | 'ATTENTION';
  pre_checks: PreCheck[];
  failure: { error: string; at: string } | null;
}

interface AdminUser {
  id: number;
  username: string;
  customer_id: string;
  kyc_status: string;
  date_of_birth: string | null;
  ssn_masked: string | null;
  address_masked: string | null;
}

const preCheckList = (checks: PreCheck[]) =>
  checks.length === 0
    ? 'Not run yet'
    : h(
        'ul',
        { class: 'checks' },
        checks.map((check) => h('li', {}, `${check.check}: `, badge(check.outcome), ` ${check.detail}`)),
      );

const displayName = (item: { first_name: string | null; last_name: string | null }) =>
  [item.first_name, item.last_name].filter(Boolean).join(' ') || '—';

/** Bank admins: the open KYC cases, oldest first, and the decision on one of them. */
export const kycScreen = ({ api }: ScreenContext): HTMLElement => {
  const status = liveRegion();
  // The queue has no PII; each case's masked SSN comes from the user's admin view, fetched once per screen.
  const users = new Map<number, Promise<AdminUser>>();
  const userOf = (id: number) => {
    let user = users.get(id);
    if (!user) {
      user = api.get<AdminUser>(`/api/users/${id}/`);
      user.catch(() => users.delete(id));
      users.set(id, user);
    }
    return user;
  };
  const maskedSsn = (id: number) => {
    const cell = h('span', { class: 'ssn' }, '…');
    userOf(id).then(
      (user) => (cell.textContent = user.ssn_masked ?? '—'),
      () => (cell.textContent = 'unavailable'),
    );
    return cell;
  };
  const panel = h('section', { class: 'panel', hidden: true, 'aria-label': 'Case review' });
  const queue = pagedTable<KycCase>({
    api,
    caption: 'Open KYC cases, oldest first',
    empty: 'No open cases: the queue is empty.',
    onError: (error) => status.error(messageOf(error)),
    columns: [
      { header: 'Opened', cell: (item) => formatTime(item.opened_at) },
      { header: 'Customer', cell: (item) => item.customer_id },
      { header: 'Username', cell: (item) => item.username ?? '—' },
      { header: 'Name', cell: (item) => displayName(item) },
      { header: 'SSN (masked)', cell: (item) => maskedSsn(item.user_id) },
      {
        header: 'Case',
        cell: (item) => [
          badge(item.case_status),
          item.failure ? ` workflow failure: ${item.failure.error}` : '',
        ],
      },
      {
        header: 'Pre-checks',
        cell: (item) => [badge(item.pre_check_summary), preCheckList(item.pre_checks)],
      },
      {
        header: 'Action',
        cell: (item) =>
          h(
            'button',
            {
              type: 'button',
              'aria-label': `Review ${item.username ?? item.customer_id}`,
              onclick: () => void review(item),
            },
            'Review',
          ),
      },
    ],
  });

  const reload = () => queue.load('/api/kyc/pending/?page_size=50');

  const review = async (item: KycCase) => {
    panel.hidden = false;
    replace(panel, h('p', {}, 'Loading the customer…'));
    let user: AdminUser;
    try {
      user = await userOf(item.user_id);
    } catch (error) {
      replace(panel, h('p', { role: 'alert' }, messageOf(error)));
      return;
    }
    const heading = h('h2', { tabindex: -1 }, `Review ${user.username}`);
    const reason = h('textarea', { name: 'reason', required: true, rows: 3, maxlength: 500 });
    const approveId = uid('decision');
    const rejectId = uid('decision');
    const formError = h('p', { class: 'error', role: 'alert' });
    const form = h(
      'form',
      { 'aria-label': `Decision for ${user.username}`, novalidate: true },
      h(
        'fieldset',
        {},
        h('legend', {}, 'Decision'),
        h(
          'div',
          { class: 'radio' },
          h('input', { type: 'radio', name: 'decision', value: 'APPROVED', id: approveId, required: true }),
          h('label', { for: approveId }, 'Approve'),
        ),
        h(
          'div',
          { class: 'radio' },
          h('input', { type: 'radio', name: 'decision', value: 'REJECTED', id: rejectId }),
          h('label', { for: rejectId }, 'Reject'),
        ),
      ),
      field('Reason (recorded with the decision; sent to the customer on a rejection)', reason),
      formError,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit' }, 'Submit decision'),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () => closePanel(panel),
          },
          'Close',
        ),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const decision = String(data.get('decision') ?? '');
      const text = String(data.get('reason') ?? '').trim();
      if (!decision || !text) {
        formError.textContent = 'Choose a decision and give a reason.';
        return;
      }
      formError.textContent = '';
      void decide(user, decision, text);
    });
    replace(
      panel,
      heading,
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Customer id'),
        h('dd', {}, user.customer_id),
        h('dt', {}, 'Date of birth'),
        h('dd', {}, user.date_of_birth ?? '—'),
        h('dt', {}, 'SSN (masked)'),
        h('dd', {}, user.ssn_masked ?? '—'),
        h('dt', {}, 'Address (masked)'),
        h('dd', {}, user.address_masked ?? '—'),
        h('dt', {}, 'Opened'),
        h('dd', {}, formatTime(item.opened_at)),
        h('dt', {}, 'Pre-checks'),
        h('dd', {}, preCheckList(item.pre_checks)),
      ),
      form,
    );
    heading.focus();
  };

  const decide = async (user: AdminUser, decision: string, reason: string) => {
    try {
      await api.request('PUT', `/api/users/${user.id}/`, { kyc_status: decision, reason });
      panel.hidden = true;
      await reload();
      status.info(
        `${decision === 'APPROVED' ? 'Approved' : 'Rejected'}: ${user.username} (${user.customer_id}). The case left the queue.`,
      );
    } catch (error) {
      const conflict = error instanceof ApiError && error.status === 409;
      status.error(
        conflict
          ? `Not applied: another admin decided this case first (${error.message}). The queue is refreshed.`
          : messageOf(error),
      );
      if (conflict) {
        panel.hidden = true;
        await reload().catch(() => undefined);
      }
    }
  };

  const showQueue = () =>
    reload()
      .then((shown) => status.info(`${shown} open case${shown === 1 ? '' : 's'} in the queue.`))
      .catch((error: unknown) => status.error(messageOf(error)));
  const refresh = h(
    'button',
    { type: 'button', class: 'secondary', onclick: () => void showQueue() },
    'Refresh queue',
  );
  void showQueue();

  return screen(
    'KYC review queue',
    'Registrations waiting for a decision, oldest first, with the automatic pre-check outcomes. SSN and address are shown masked only.',
    h('div', { class: 'toolbar' }, refresh),
    status.element,
    queue.element,
    panel,
  );
};
