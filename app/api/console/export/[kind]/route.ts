import { NextResponse, type NextRequest } from 'next/server';
import { callAdmin, consoleReader } from '@/app/_lib/console';
import { apiQuery, isLogKind } from '@/app/_lib/console-logs';

/** Pages read at most, so one export cannot hold the process for ever (200 a page: 100,000 rows). */
const MAX_PAGES = 500;

/**
 * Everything the events or audit screen's filters match, as JSON Lines (newest first), for the
 * console's signed-in admin. The audit log has the admin API's own export; events are read page
 * by page through the same API.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ kind: string }> }) {
  const { kind } = await params;
  if (!isLogKind(kind)) return new NextResponse(null, { status: 404 });
  const ctx = await consoleReader('en');
  if (!ctx) return new NextResponse(null, { status: 403 });
  const query = Object.fromEntries(request.nextUrl.searchParams);
  const filters = apiQuery(kind, query);
  const lines: unknown[] = [];
  if (kind === 'audit') {
    const r = await callAdmin(ctx, { method: 'GET', path: `/audit/export?${filters}` });
    if (!r.ok) return new NextResponse(null, { status: r.status });
    lines.push(...(r.body as unknown[]));
  } else {
    let cursor: string | undefined;
    for (let i = 0; i < MAX_PAGES; i++) {
      const q = new URLSearchParams(filters);
      q.set('limit', '200');
      if (cursor) q.set('cursor', cursor);
      const r = await callAdmin(ctx, { method: 'GET', path: `/events?${q}` });
      if (!r.ok) return new NextResponse(null, { status: r.status });
      const page = r.body as { items: unknown[]; next?: string };
      lines.push(...page.items);
      cursor = page.next;
      if (!cursor) break;
    }
  }
  return new NextResponse(lines.map((l) => `${JSON.stringify(l)}\n`).join(''), {
    headers: {
      'content-type': 'application/jsonl; charset=utf-8',
      'content-disposition': `attachment; filename="foyer-${kind}.jsonl"`,
      'cache-control': 'no-store',
    },
  });
}
