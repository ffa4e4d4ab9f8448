import { h } from '../dom';
import type { ApiClient, StaffUser } from '../api';

/** What every screen receives: the API client and who is signed in. */
export interface ScreenContext {
  api: ApiClient;
  user: StaffUser;
}

export const isAdmin = (user: StaffUser): boolean => user.roles.includes('BANK_ADMIN');

/** A screen's error, as the person reading it needs it. */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : 'Something went wrong. Please try again.';

/** A status word as a labelled badge (the word itself is shown: colour is never the only signal). */
export const badge = (text: string): HTMLElement =>
  h('span', { class: `badge badge-${text.toLowerCase()}` }, text);

/**
 * A filter form: `run` loads the list on submit and once at the start; its failures are announced in
 * `status`.
 */
export const filterForm = (
  label: string,
  fields: HTMLElement[],
  run: () => Promise<unknown>,
  status: { error(text: string): void },
): HTMLFormElement => {
  const form = h(
    'form',
    { class: 'filters', 'aria-label': label },
    fields,
    h('button', { type: 'submit' }, 'Apply filters'),
  );
  const load = () => run().catch((error: unknown) => status.error(messageOf(error)));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  void load();
  return form;
};

/** A screen: its heading (focused when the screen opens), what it is for, then its content. */
export const screen = (title: string, lead: string, ...content: Node[]): HTMLElement =>
  h(
    'section',
    { class: 'screen' },
    h('h1', { tabindex: -1 }, title),
    h('p', { class: 'lead' }, lead),
    content,
  );

/** Hides a detail panel and gives the focus back to its screen's heading (not to a hidden control). */
export const closePanel = (panel: HTMLElement): void => {
  panel.hidden = true;
  panel.closest('section.screen')?.querySelector<HTMLElement>('h1')?.focus();
};
