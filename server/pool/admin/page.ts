/**
 * Cursor pagination for admin listings: the cursor is opaque to callers (base64url JSON of the
 * last row's sort key), so its shape may change without breaking anyone.
 */
export interface Page<T> {
  items: T[];
  /** Give it back as `cursor` for the next page; absent on the last one. */
  next?: string;
}

export function encodeCursor(key: string | number): string {
  return Buffer.from(JSON.stringify({ k: key })).toString('base64url');
}

/** The sort key a cursor holds, or undefined when it is not one of ours (a 400 for the caller). */
export function decodeCursor(cursor: string): string | number | undefined {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
    return typeof v.k === 'string' || typeof v.k === 'number' ? v.k : undefined;
  } catch {
    return undefined;
  }
}

/** `rows` fetched with limit + 1: the page, and a cursor when there is more. */
export function pageOf<R, T>(rows: R[], limit: number, key: (r: R) => string | number, map: (r: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(map), ...(more ? { next: encodeCursor(key(kept[kept.length - 1])) } : {}) };
}

/** A LIKE pattern matching values that start with `prefix` (escape character `\`). */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
