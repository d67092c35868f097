import type { AuditEntry, Pool, PoolEvent } from '../../pool';
import { route, type Route } from '../route';
import * as s from '../schemas';
import { cursorKey, pageOut } from './paging';

const eventOut = ({ userId, ...e }: PoolEvent) => ({ ...e, user_id: userId });
const auditOut = ({ requestId, ...e }: AuditEntry) => ({ ...e, request_id: requestId });

type AuditQuery = { actor?: string; action?: string; resource_type?: string; resource_id?: string; since?: number; until?: number };
const auditFilter = (q: AuditQuery) => ({ actor: q.actor, action: q.action, resourceType: q.resource_type, resourceId: q.resource_id, since: q.since, until: q.until });

/** Every matching audit entry, newest first, read a page at a time (the export never holds them all). */
async function* allAudit(admin: Pool['admin'], q: AuditQuery): AsyncIterable<unknown> {
  let before: number | undefined;
  for (;;) {
    const page = await admin.audit.list({ filter: auditFilter(q), before, limit: 500 });
    for (const e of page.items) yield auditOut(e);
    if (!page.next || page.items.length === 0) return;
    before = page.items[page.items.length - 1].id;
  }
}

export const logRoutes: Route[] = [
  route({
    id: 'listEvents',
    method: 'GET',
    path: '/events',
    tag: 'events',
    summary: "The pool's events (sign-ins, failures, account changes), newest first",
    query: s.eventQuery,
    response: { status: 200, schema: s.page(s.event) },
    handle: async (c) => {
      const { username, type, since, until, cursor, limit } = c.query;
      let userId: string | undefined;
      if (username !== undefined) {
        const row = await c.admin.users.row({ username });
        // No such user has no events: an empty page, as for any filter nothing matches.
        if (!row) return { status: 200, body: { items: [] } };
        userId = row.id;
      }
      const found = await c.admin.events.list({ filter: { type, userId, since, until }, before: cursorKey(cursor, 'number'), limit });
      return { status: 200, body: pageOut(found, eventOut) };
    },
  }),
  route({
    id: 'listAudit',
    method: 'GET',
    path: '/audit',
    tag: 'audit',
    summary: 'The audit log of admin writes, newest first',
    query: s.auditQuery,
    response: { status: 200, schema: s.page(s.auditEntry) },
    handle: async (c) => {
      const found = await c.admin.audit.list({ filter: auditFilter(c.query), before: cursorKey(c.query.cursor, 'number'), limit: c.query.limit });
      return { status: 200, body: pageOut(found, auditOut) };
    },
  }),
  route({
    id: 'exportAudit',
    method: 'GET',
    path: '/audit/export',
    tag: 'audit',
    summary: 'The audit log as JSON Lines (one entry per line, newest first), with the same filters',
    query: s.auditQuery.omit({ cursor: true, limit: true }),
    response: { status: 200, schema: s.auditEntry, mediaType: 'application/jsonl' },
    handle: async (c) => ({ status: 200, lines: allAudit(c.admin, c.query) }),
  }),
];
