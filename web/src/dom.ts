/*
 * A tiny DOM builder. Text always goes in as text nodes (never as HTML), so nothing the API returns can
 * inject markup into the console.
 */

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined | EventListener>;

export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
};

export const append = (parent: Node, children: (Child | Child[])[]): void => {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
};

/** Replaces everything inside `parent`. */
export const replace = (parent: Element, ...children: (Child | Child[])[]): void => {
  parent.replaceChildren();
  append(parent, children);
};

let ids = 0;
/** A unique id for label/field and aria-describedby pairs. */
export const uid = (prefix: string): string => `${prefix}-${(ids += 1)}`;

/** A labelled form field: the label names the control, as screen readers expect. */
export const field = (label: string, control: HTMLElement, hint?: string): HTMLElement => {
  const id = control.id || uid('field');
  control.id = id;
  const hintNode = hint ? h('small', { id: `${id}-hint`, class: 'hint' }, hint) : null;
  if (hintNode) control.setAttribute('aria-describedby', hintNode.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintNode);
};

export const select = (name: string, options: readonly (readonly [string, string])[], value = '') =>
  h(
    'select',
    { name },
    options.map(([optionValue, text]) =>
      h('option', { value: optionValue, selected: optionValue === value }, text),
    ),
  );

/** "2026-11-25T10:00:00Z" -> "2026-11-25 10:00:00 UTC" (staff across time zones read the same time). */
export const formatTime = (value: string | null | undefined): string =>
  value ? `${value.replace('T', ' ').replace(/Z$/, '')} UTC` : '—';

/** A status line announced by screen readers: polite for results, assertive for errors. */
export const liveRegion = (): {
  element: HTMLElement;
  info(text: string): void;
  error(text: string): void;
} => {
  const element = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  return {
    element,
    info(text) {
      element.className = 'status';
      element.setAttribute('role', 'status');
      element.setAttribute('aria-live', 'polite');
      element.textContent = text;
    },
    error(text) {
      element.className = 'status error';
      element.setAttribute('role', 'alert');
      element.setAttribute('aria-live', 'assertive');
      element.textContent = text;
    },
  };
};
