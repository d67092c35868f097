import { decodeCursor, type Page } from '../../pool';
import { Problem } from '../problem';

/** The sort key a `cursor` query parameter holds, of the listing's type; a cursor this API never gave is a 400. */
export function cursorKey<T extends 'string' | 'number'>(cursor: string | undefined, type: T): (T extends 'string' ? string : number) | undefined {
  if (cursor === undefined) return undefined;
  const key = decodeCursor(cursor);
  if (typeof key !== type) throw new Problem(400, 'invalid-request', 'The request is not valid', 'the cursor is not one this API gave', { errors: [{ pointer: '/cursor', detail: 'unknown cursor', code: 'unknown_cursor', params: {} }] });
  return key as T extends 'string' ? string : number;
}

/** A page of the pool's as the API shows it: its items mapped, and `next` only when there is more. */
export const pageOut = <T, U>(p: Page<T>, map: (t: T) => U) => ({ items: p.items.map(map), ...(p.next ? { next: p.next } : {}) });
