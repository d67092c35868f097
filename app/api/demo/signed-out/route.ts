import { NextResponse, type NextRequest } from 'next/server';
import { runtime } from '@/server/runtime-handle';

export async function GET(request: NextRequest) {
  const state = request.nextUrl.searchParams.get('state');
  const base = (await runtime()).env.publicUrl;
  return NextResponse.redirect(new URL(`/${state === 'ar' ? 'ar' : 'en'}/demo?signed_out=1`, base), 303);
}
