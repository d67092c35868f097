import { NextResponse } from 'next/server';
import { callAdmin, consoleReader, seg } from '@/app/_lib/console';

/**
 * Export: the definition a theme version was published with, or the theme's draft (`draft` for
 * the version), as a JSON download for the console's signed-in admin. Assets come inline (data:
 * URLs), so the file imports into another deployment.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string; version: string }> }) {
  const { id, version } = await params;
  const draft = version === 'draft';
  if (!draft && !/^\d+$/.test(version)) return new NextResponse(null, { status: 404 });
  const ctx = await consoleReader('en');
  if (!ctx) return new NextResponse(null, { status: 403 });
  const r = await callAdmin(ctx, { method: 'GET', path: `/themes/${seg(id)}/${draft ? 'draft' : `versions/${version}`}?assets=inline` });
  if (!r.ok) return new NextResponse(null, { status: r.status });
  return new NextResponse(`${JSON.stringify(draft ? (r.body as { theme: unknown }).theme : r.body, null, 2)}\n`, {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${id.replace(/[^\w.-]/g, '_')}-${version}.json"`,
      'cache-control': 'no-store',
    },
  });
}
