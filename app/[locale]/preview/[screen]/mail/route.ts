import { isLocale } from '@/i18n/locales';
import { previewMessage, previewRequest } from '@/app/_lib/preview';
import { runtime } from '@/server/runtime-handle';

/**
 * `/<locale>/preview/<screen>/mail?preview=<token>`: the HTML part of a previewed e-mail, alone,
 * for the e-mail preview's sandboxed frame. The proxy gives it a policy of its own (inline styles,
 * which is all mail HTML has; nothing runs; only our pages frame it).
 */
export async function GET(_request: Request, { params }: { params: Promise<{ locale: string; screen: string }> }) {
  const { locale } = await params;
  const preview = await previewRequest();
  const message = preview ? previewMessage(preview.screen) : undefined;
  if (!preview || !isLocale(locale) || message?.channel !== 'email') return new Response(null, { status: 404, headers: { 'cache-control': 'no-store' } });
  const { html } = await (await runtime()).pool.messagePreview.mail({ to: '', template: message.template, locale, theme: preview.applied, token: preview.token });
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}
