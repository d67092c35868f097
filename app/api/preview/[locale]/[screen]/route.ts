import { isLocale } from '@/i18n/locales';
import { isPreviewScreen, previewMessage } from '@/app/_lib/preview';
import { runtime } from '@/server/runtime-handle';

/**
 * `/api/preview/<locale>/<screen>?preview=<token>`: the HTML part of a previewed e-mail, alone, for
 * the preview screen's sandboxed frame. Its own policy lets the mail's inline styles apply (mail
 * HTML has no other kind) and nothing else run or load but our images; only our pages may frame it.
 */
export async function GET(request: Request, { params }: { params: Promise<{ locale: string; screen: string }> }) {
  const { locale, screen } = await params;
  const token = new URL(request.url).searchParams.get('preview');
  const message = isPreviewScreen(screen) ? previewMessage(screen) : undefined;
  if (!token || !isLocale(locale) || message?.channel !== 'email') return refused();
  const rt = await runtime();
  const theme = await rt.themes.preview(token);
  if (!theme) return refused();
  const { html } = await rt.pool.messagePreview.mail({ to: '', template: message.template, locale, theme });
  return new Response(html, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox",
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'x-robots-tag': 'noindex, nofollow',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
  });
}

const refused = () => new Response(null, { status: 404, headers: { 'cache-control': 'no-store' } });
