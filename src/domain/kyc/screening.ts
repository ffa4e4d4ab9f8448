/**
 * Watch-list screening of a customer's name. Names are compared as sets of normalized tokens (case,
 * accents, punctuation and word order ignored), so "Doe, John" matches the entry "John DOE". An entry
 * matches when all its tokens appear in the customer's name: a listed "John Doe" also flags
 * "John Michael Doe", which is what a screening officer wants to review.
 */
export const nameTokens = (name: string): string[] =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token.length > 0);

export const normalizeName = (name: string): string => [...new Set(nameTokens(name))].sort().join(' ');

export interface WatchListEntry {
  /** The listed name as entered by compliance. */
  name: string;
  /** Where the entry comes from (e.g. "OFAC SDN", "internal"). */
  source: string;
}

export const screenName = (fullName: string, entries: readonly WatchListEntry[]): WatchListEntry[] => {
  const tokens = new Set(nameTokens(fullName));
  return entries.filter((entry) => {
    const listed = nameTokens(entry.name);
    return listed.length > 0 && listed.every((token) => tokens.has(token));
  });
};
