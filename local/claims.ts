import type { AuthorizerClaims } from './gateway';

// Kept apart from the authorizer (which needs jose, ESM-only) so jest can test it without transforming jose.
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (value: number) => String(value).padStart(2, '0');

/** `exp`/`iat` as the REST API authorizer renders them (Java's Date#toString in UTC): "Fri Jul 29 18:52:53 UTC 2016". */
const javaDate = (epochSeconds: number): string => {
  const date = new Date(epochSeconds * 1000);
  return (
    `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
};

/**
 * Claims as a REST (v1) Cognito authorizer hands them to the integration: every value a string, lists
 * comma-separated (`cognito:groups` = "BANK_ADMIN,AUDITOR"), `exp`/`iat` as dates, other numbers as digits.
 */
export const flattenClaims = (payload: Record<string, unknown>): AuthorizerClaims => {
  const claims: AuthorizerClaims = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') claims[name] = javaDate(value);
    else if (Array.isArray(value)) claims[name] = value.map(String).join(',');
    else if (typeof value === 'object') claims[name] = JSON.stringify(value);
    else claims[name] = String(value);
  }
  return claims;
};
