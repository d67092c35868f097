import type { PoolContext } from '../context';
import { pageOf, type Page } from './page';

export interface PoolEvent {
  id: number;
  type: string;
  userId: string | null;
  ip: string | null;
  detail: unknown;
  at: number;
}

export interface EventFilter {
  type?: string;
  userId?: string;
  since?: number;
  until?: number;
}

/** The pool's sign-in and account events, newest first; `before`: the id the previous page ended at. */
export async function listEvents(ctx: PoolContext, f: EventFilter, o: { before?: number; limit: number }): Promise<Page<PoolEvent>> {
  let q = ctx.db.selectFrom('events').selectAll();
  if (f.type) q = q.where('type', '=', f.type);
  if (f.userId) q = q.where('user_id', '=', f.userId);
  if (f.since !== undefined) q = q.where('created_at', '>=', f.since);
  if (f.until !== undefined) q = q.where('created_at', '<', f.until);
  if (o.before !== undefined) q = q.where('id', '<', o.before);
  const rows = await q.orderBy('id', 'desc').limit(o.limit + 1).execute();
  return pageOf(rows, o.limit, (r) => Number(r.id), (r) => ({
    id: Number(r.id),
    type: r.type,
    userId: r.user_id,
    ip: r.ip,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
    at: Number(r.created_at),
  }));
}
