import { NextResponse, type NextRequest } from 'next/server';
import { isLocale } from '@/i18n/locales';
import { runtime } from '@/server/runtime-handle';

/** Where the pool's logout sends the console's user back to. */
export async function GET(request: NextRequest) {
  const state = request.nextUrl.searchParams.get('state');
  const base = (await runtime()).env.publicUrl;
  return NextResponse.redirect(new URL(`/${isLocale(state) ? state : 'en'}/logout/done`, base), 303);
}
