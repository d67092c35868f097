import type { PoolContext } from '../context';
import { pageOf, type Page } from './page';

/** Who acted: an app client (client credentials) or a signed-in admin (the console, later). */
export interface Actor {
  type: 'client' | 'user';
  id: string;
}

export interface AuditEntry {
  id: number;
  actor: Actor;
  action: string;
  resource: { type: string; id: string };
  before: unknown;
  after: unknown;
  requestId: string | null;
  at: number;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  since?: number;
  until?: number;
}

/** Written in the caller's transaction, so a write and its audit row stand or fall together. */
export async function recordAudit(
  ctx: PoolContext,
  e: { actor: Actor; action: string; resource: { type: string; id: string }; before: unknown; after: unknown; requestId?: string },
): Promise<void> {
  await ctx.db
    .insertInto('audit')
    .values({
      actor_type: e.actor.type,
      actor: e.actor.id,
      action: e.action,
      resource_type: e.resource.type,
      resource_id: e.resource.id,
      before: e.before === undefined || e.before === null ? null : JSON.stringify(e.before),
      after: e.after === undefined || e.after === null ? null : JSON.stringify(e.after),
      request_id: e.requestId ?? null,
      created_at: ctx.now(),
    })
    .execute();
}

/** Retention: rows older than `days` go (AUDIT_RETENTION_DAYS); how many went. */
export async function sweepAudit(ctx: PoolContext, days: number): Promise<number> {
  const done = await ctx.db.deleteFrom('audit').where('created_at', '<', ctx.now() - days * 86_400_000).executeTakeFirst();
  return Number(done.numDeletedRows);
}

/** Newest first; `before`: the id the previous page ended at. */
export async function listAudit(ctx: PoolContext, f: AuditFilter, o: { before?: number; limit: number }): Promise<Page<AuditEntry>> {
  let q = ctx.db.selectFrom('audit').selectAll();
  if (f.actor) q = q.where('actor', '=', f.actor);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.resourceType) q = q.where('resource_type', '=', f.resourceType);
  if (f.resourceId) q = q.where('resource_id', '=', f.resourceId);
  if (f.since !== undefined) q = q.where('created_at', '>=', f.since);
  if (f.until !== undefined) q = q.where('created_at', '<', f.until);
  if (o.before !== undefined) q = q.where('id', '<', o.before);
  const rows = await q.orderBy('id', 'desc').limit(o.limit + 1).execute();
  return pageOf(rows, o.limit, (r) => Number(r.id), (r) => ({
    id: Number(r.id),
    actor: { type: r.actor_type, id: r.actor },
    action: r.action,
    resource: { type: r.resource_type, id: r.resource_id },
    before: r.before === null ? null : (JSON.parse(r.before) as unknown),
    after: r.after === null ? null : (JSON.parse(r.after) as unknown),
    requestId: r.request_id,
    at: Number(r.created_at),
  }));
}
