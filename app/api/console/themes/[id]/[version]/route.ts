import { NextResponse } from 'next/server';
import { callAdmin, consoleReader, seg } from '@/app/_lib/console';

/** Export: the definition a theme version was published with, as a JSON download, for the console's signed-in admin. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string; version: string }> }) {
  const { id, version } = await params;
  if (!/^\d+$/.test(version)) return new NextResponse(null, { status: 404 });
  const ctx = await consoleReader('en');
  if (!ctx) return new NextResponse(null, { status: 403 });
  const r = await callAdmin(ctx, { method: 'GET', path: `/themes/${seg(id)}/versions/${version}` });
  if (!r.ok) return new NextResponse(null, { status: r.status });
  return new NextResponse(`${JSON.stringify(r.body, null, 2)}\n`, {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${id.replace(/[^\w.-]/g, '_')}-${version}.json"`,
      'cache-control': 'no-store',
    },
  });
}
