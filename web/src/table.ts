import { ApiClient, type Page } from './api';
import { h, replace } from './dom';

type Cell = Node | string | number | null | undefined;

export interface Column<T> {
  header: string;
  cell(row: T): Cell | Cell[];
}

export interface PagedTable {
  readonly element: HTMLElement;
  /** Loads the first page of `path`; resolves with how many rows are shown. */
  load(path: string): Promise<number>;
  /** The rows loaded so far, re-rendered through `keep` (a client-side search). */
  filter(keep: (row: unknown) => boolean): number;
}

/**
 * A table over one of the API's lists ({count, next, results}): the first page, then "Load more" while
 * the API gives a `next` link. Rows and headers are real table markup, so screen readers announce them.
 */
export const pagedTable = <T>(options: {
  api: ApiClient;
  caption: string;
  columns: readonly Column<T>[];
  empty: string;
  /** Called after each page with what is shown and whether there is more. */
  onLoaded?: (shown: number, more: boolean) => void;
  /** Failures of "Load more" (the first page's failure is the caller's, from load()). */
  onError?: (error: unknown) => void;
}): PagedTable => {
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  const table = h(
    'table',
    {},
    h('caption', {}, options.caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        options.columns.map((column) => h('th', { scope: 'col' }, column.header)),
      ),
    ),
    body,
  );
  const element = h('div', { class: 'table-wrap' }, table, more);
  let rows: T[] = [];
  let next: string | null = null;
  let keep: (row: T) => boolean = () => true;

  const render = () => {
    const shown = rows.filter(keep);
    replace(
      body,
      shown.length === 0
        ? h('tr', {}, h('td', { colspan: options.columns.length }, options.empty))
        : shown.map((row) =>
            h(
              'tr',
              {},
              options.columns.map((column) => {
                const cell = column.cell(row);
                return h('td', {}, ...(Array.isArray(cell) ? cell : [cell]));
              }),
            ),
          ),
    );
    more.hidden = next === null;
    options.onLoaded?.(shown.length, next !== null);
    return shown.length;
  };

  const fetchPage = async (path: string, reset: boolean) => {
    const page = await options.api.get<Page<T>>(path);
    rows = reset ? page.results : [...rows, ...page.results];
    next = page.next ? ApiClient.pathOf(page.next) : null;
    return render();
  };

  more.addEventListener('click', () => {
    if (next) fetchPage(next, false).catch((error: unknown) => options.onError?.(error));
  });

  return {
    element,
    load: (path) => fetchPage(path, true),
    filter: (predicate) => {
      keep = predicate as (row: T) => boolean;
      return render();
    },
  };
};
