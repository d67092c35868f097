/**
 * The filters of the events and audit screens, from the page's query to the admin API's: dates
 * (yyyy-mm-dd, UTC) become epoch milliseconds, a whole day for `until`. Shared with the export.
 */
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY = 86_400_000;

export const logFilters = {
  events: ['type', 'username'],
  audit: ['actor', 'action', 'resource_type', 'resource_id'],
} as const;
export type LogKind = keyof typeof logFilters;
export const isLogKind = (s: string): s is LogKind => Object.hasOwn(logFilters, s);

export function apiQuery(kind: LogKind, query: Record<string, string | undefined>): URLSearchParams {
  const out = new URLSearchParams();
  for (const name of logFilters[kind]) if (query[name]) out.set(name, query[name]);
  if (query.since && DATE.test(query.since)) out.set('since', String(Date.parse(`${query.since}T00:00:00Z`)));
  if (query.until && DATE.test(query.until)) out.set('until', String(Date.parse(`${query.until}T00:00:00Z`) + DAY));
  return out;
}

/** The page's own filters, to carry into "next page" and "export" links. */
export function pageQuery(kind: LogKind, query: Record<string, string | undefined>): URLSearchParams {
  const out = new URLSearchParams();
  for (const name of [...logFilters[kind], 'since', 'until']) if (query[name]) out.set(name, query[name]);
  return out;
}
