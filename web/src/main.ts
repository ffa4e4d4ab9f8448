import './styles.css';
import { ApiClient, NotStaffError, type StaffRole, type StaffUser } from './api';
import { field, h, liveRegion, replace } from './dom';
import { alertsScreen } from './views/alerts';
import { auditScreen } from './views/audit';
import type { ScreenContext } from './views/context';
import { kycScreen } from './views/kyc';
import { usersScreen } from './views/users';

interface Screen {
  path: string;
  title: string;
  roles: readonly StaffRole[];
  render(context: ScreenContext): HTMLElement;
}

/** Which role sees which screen mirrors the API's own route access (src/contract/routes.ts). */
const SCREENS: readonly Screen[] = [
  { path: 'kyc', title: 'KYC review', roles: ['BANK_ADMIN'], render: kycScreen },
  { path: 'alerts', title: 'Fraud alerts', roles: ['BANK_ADMIN', 'AUDITOR'], render: alertsScreen },
  { path: 'audit', title: 'Audit log', roles: ['AUDITOR'], render: auditScreen },
  { path: 'users', title: 'Users', roles: ['BANK_ADMIN'], render: usersScreen },
];

const app = document.getElementById('app') as HTMLElement;
const api = new ApiClient();
let user: StaffUser | undefined;

const allowed = (staff: StaffUser) =>
  SCREENS.filter((screen) => screen.roles.some((role) => staff.roles.includes(role)));

const currentPath = () => window.location.hash.replace(/^#\/?/, '');

const showSignIn = (notice?: string) => {
  user = undefined;
  document.title = 'Sign in · Core Banking console';
  const status = liveRegion();
  const username = h('input', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title', tabindex: -1 }, 'Core Banking back office'),
    h('p', { class: 'lead' }, 'For bank admins and auditors.'),
    field('Username', username),
    field('Password', password),
    submit,
    status.element,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    status.info('Signing in…');
    api
      .signIn(username.value.trim(), password.value)
      .then((staff) => {
        user = staff;
        const first = allowed(staff)[0];
        if (!allowed(staff).some((screen) => screen.path === currentPath()) && first) {
          window.location.hash = `#/${first.path}`;
        }
        showShell();
      })
      .catch((error: unknown) => {
        submit.disabled = false;
        password.value = '';
        status.error(
          error instanceof NotStaffError
            ? error.message
            : error instanceof Error
              ? `Sign-in failed: ${error.message}`
              : 'Sign-in failed.',
        );
        (error instanceof NotStaffError ? username : password).focus();
      });
  });
  replace(app, h('main', { id: 'main' }, form));
  if (notice) status.error(notice);
  username.focus();
};

const main = h('main', { id: 'main', tabindex: -1 });

const showShell = () => {
  if (!user) return showSignIn();
  const staff = user;
  const signOut = h('button', { type: 'button', class: 'secondary' }, 'Sign out');
  signOut.addEventListener('click', () => {
    void api.signOut().then(() => {
      window.location.hash = '';
      showSignIn();
    });
  });
  replace(
    app,
    h(
      'a',
      { class: 'skip', href: '#main', onclick: (event: Event) => (event.preventDefault(), main.focus()) },
      'Skip to content',
    ),
    h(
      'header',
      { class: 'top' },
      h('span', { class: 'brand' }, 'Core Banking console'),
      h(
        'nav',
        { 'aria-label': 'Screens' },
        h(
          'ul',
          {},
          allowed(staff).map((screen) =>
            h('li', {}, h('a', { href: `#/${screen.path}`, 'data-path': screen.path }, screen.title)),
          ),
        ),
      ),
      h(
        'span',
        { class: 'who' },
        'Signed in as ',
        h('strong', {}, staff.username),
        ` (${staff.roles.join(', ')}) `,
        signOut,
      ),
    ),
    main,
  );
  route();
};

const route = () => {
  if (!user) return;
  const screens = allowed(user);
  const screen = screens.find((candidate) => candidate.path === currentPath()) ?? screens[0];
  if (!screen) return;
  for (const link of app.querySelectorAll<HTMLAnchorElement>('nav a')) {
    if (link.dataset.path === screen.path) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${screen.title} · Core Banking console`;
  replace(main, screen.render({ api, user }));
  main.querySelector<HTMLElement>('h1')?.focus();
};

window.addEventListener('hashchange', () => route());
api.onSessionExpired = () => showSignIn('Your session has expired: please sign in again.');
showSignIn();
