/*
 * The console's only way to the bank: the public API, same origin. Tokens live in this object's private
 * fields, in memory only (no localStorage, no cookie): a reload or a closed tab signs the user out.
 */

export type StaffRole = 'BANK_ADMIN' | 'AUDITOR';
export const STAFF_ROLES: readonly StaffRole[] = ['BANK_ADMIN', 'AUDITOR'];

export interface Page<T> {
  count: number;
  next: string | null;
  previous: null;
  results: T[];
}

export interface StaffUser {
  id: number;
  username: string;
  roles: StaffRole[];
}

/** An answer other than 2xx, with the API's body (the seed's error shape). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(ApiError.describe(status, body));
  }

  /** `{"error": "..."}` or `{"field": ["message", ...]}` as one readable sentence. */
  static describe(status: number, body: Record<string, unknown>): string {
    if (typeof body.error === 'string') return body.error;
    const fields = Object.entries(body)
      .filter(([, value]) => Array.isArray(value))
      .map(
        ([name, value]) =>
          `${name === 'non_field_errors' ? '' : `${name}: `}${(value as string[]).join(' ')}`,
      );
    return fields.length > 0 ? fields.join('; ') : `The API answered ${status}.`;
  }
}

/** Thrown when the user is not staff: the console refuses them before showing anything. */
export class NotStaffError extends Error {
  constructor() {
    super(
      'This console is for bank staff (bank admins and auditors) only. Customers cannot sign in here: please use the banking app.',
    );
  }
}

interface Tokens {
  access: string;
  refresh: string;
}

export class ApiClient {
  #tokens: Tokens | undefined;
  #refreshing: Promise<boolean> | undefined;

  /** Called once when the session ends by itself (refresh token expired or revoked). */
  onSessionExpired: () => void = () => undefined;

  constructor(private readonly baseUrl = '') {}

  get signedIn(): boolean {
    return this.#tokens !== undefined;
  }

  /** Signs in and checks the role with the profile endpoint; customers are signed out again at once. */
  async signIn(username: string, password: string): Promise<StaffUser> {
    const login = await this.#send('POST', '/api/auth/login/', { username, password });
    const body = login as { access: string; refresh: string };
    this.#tokens = { access: body.access, refresh: body.refresh };
    let profile: { id: number; username: string; roles: { name: string }[] };
    try {
      profile = await this.get('/api/profile/');
    } catch (error) {
      // Without a role there is no session: revoke the one the login just opened.
      await this.signOut();
      throw error;
    }
    const roles = profile.roles
      .map((role) => role.name)
      .filter((name): name is StaffRole => (STAFF_ROLES as readonly string[]).includes(name));
    if (roles.length === 0) {
      await this.signOut();
      throw new NotStaffError();
    }
    return { id: profile.id, username: profile.username, roles };
  }

  /** Revokes the refresh token and forgets both tokens, whatever the API answers. */
  async signOut(): Promise<void> {
    const tokens = this.#tokens;
    this.#tokens = undefined;
    if (!tokens) return;
    try {
      await this.#send('POST', '/api/auth/logout/', { refresh: tokens.refresh });
    } catch {
      // Already expired or revoked: the tokens are gone from memory either way.
    }
  }

  get<T = unknown>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  /** An authenticated call; a 401 triggers one refresh and one retry. */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const access = this.#tokens?.access;
    if (!access) throw new ApiError(401, { error: 'You are signed out.' });
    try {
      return (await this.#send(method, path, body, access)) as T;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      if (!(await this.refresh())) {
        this.#tokens = undefined;
        this.onSessionExpired();
        throw new ApiError(401, { error: 'Your session has expired: please sign in again.' });
      }
      return (await this.#send(method, path, body, this.#tokens?.access)) as T;
    }
  }

  /** A new access token from the refresh endpoint; concurrent callers share one refresh. */
  refresh(): Promise<boolean> {
    this.#refreshing ??= (async () => {
      const refresh = this.#tokens?.refresh;
      if (!refresh) return false;
      try {
        const answer = (await this.#send('POST', '/api/auth/refresh/', { refresh })) as { access: string };
        if (this.#tokens) this.#tokens = { ...this.#tokens, access: answer.access };
        return this.#tokens !== undefined;
      } catch {
        return false;
      }
    })().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  /** A `next` link of a page (absolute or relative) as a path on our own origin. */
  static pathOf(link: string): string {
    const url = new URL(link, window.location.origin);
    return `${url.pathname}${url.search}`;
  }

  async #send(method: string, path: string, body?: unknown, token?: string): Promise<unknown> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { error: `The API answered ${response.status} without JSON.` };
    }
    if (!response.ok) throw new ApiError(response.status, parsed);
    return parsed;
  }
}

/** A query string from the non-empty values of a form. */
export const queryOf = (values: Record<string, string | undefined>): string => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    const trimmed = value?.trim();
    if (trimmed) params.set(name, trimmed);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
};
