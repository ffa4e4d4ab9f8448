import { queryOf } from '../api';
import { field, formatTime, h, liveRegion, select } from '../dom';
import { pagedTable } from '../table';
import { badge, filterForm, messageOf, screen, type ScreenContext } from './context';

interface UserRow {
  id: number;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  customer_id: string;
  kyc_status: string;
  kyc_reason: string | null;
  risk_profile: string;
  roles: { name: string }[];
  date_joined: string;
}

/** Bank admins: every user with KYC status and risk profile; filter by status, search what is loaded. */
export const usersScreen = ({ api }: ScreenContext): HTMLElement => {
  const status = liveRegion();
  const kycFilter = select('kyc_status', [
    ['', 'Any KYC status'],
    ['PENDING', 'PENDING'],
    ['APPROVED', 'APPROVED'],
    ['REJECTED', 'REJECTED'],
  ]);
  const searchBox = h('input', { type: 'search', name: 'q', autocomplete: 'off' });

  const matches = (row: unknown) => {
    const needle = searchBox.value.trim().toLowerCase();
    if (!needle) return true;
    const user = row as UserRow;
    return [
      user.username,
      user.email,
      user.customer_id,
      `${user.first_name} ${user.last_name}`,
      String(user.id),
    ]
      .join(' ')
      .toLowerCase()
      .includes(needle);
  };

  const table = pagedTable<UserRow>({
    api,
    caption: 'Users, oldest first',
    empty: 'No users match.',
    onError: (error) => status.error(messageOf(error)),
    onLoaded: (shown, more) =>
      status.info(`${shown} user${shown === 1 ? '' : 's'} shown${more ? ' (more can be loaded)' : ''}.`),
    columns: [
      { header: 'Id', cell: (user) => user.id },
      { header: 'Username', cell: (user) => user.username },
      { header: 'Name', cell: (user) => `${user.first_name} ${user.last_name}` },
      { header: 'Customer', cell: (user) => user.customer_id },
      {
        header: 'KYC',
        cell: (user) => [badge(user.kyc_status), user.kyc_reason ? ` ${user.kyc_reason}` : ''],
      },
      { header: 'Risk', cell: (user) => badge(user.risk_profile) },
      { header: 'Roles', cell: (user) => user.roles.map((role) => role.name).join(', ') },
      { header: 'Joined', cell: (user) => formatTime(user.date_joined) },
    ],
  });

  const load = () =>
    table
      .load(`/api/users/${queryOf({ kyc_status: kycFilter.value, page_size: '100' })}`)
      .then(() => table.filter(matches));

  searchBox.addEventListener('input', () => table.filter(matches));

  return screen(
    'Users',
    'Customers and staff with their KYC status and risk profile.',
    filterForm(
      'Filter users',
      [
        field('KYC status', kycFilter),
        field('Search', searchBox, 'Username, e-mail, customer id, name or id, among the users loaded'),
      ],
      load,
      status,
    ),
    status.element,
    table.element,
  );
};
