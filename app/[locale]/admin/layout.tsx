import type { ReactNode } from 'react';
import { consoleLocaleOf } from '@/i18n/console';
import { direction } from '@/i18n/locales';

/**
 * The admin console (issue 12), under the hosted UI's locale routing: `/<locale>/admin/...` gets
 * the proxy's CSP nonce, CSRF cookie and security headers, the pool's theme and `<html dir>`,
 * and `/admin` is redirected to a locale like every hosted page. Its words come from its own
 * catalogue (messages/console/en.json and ar.json, i18n/console.ts); in the other languages the
 * console shows in English, marked `lang="en"` so assistive technology reads it right.
 *
 * Adding a screen:
 * 1. a route folder `app/[locale]/admin/<screen>/` with `page.tsx` (and `actions.ts` beside it);
 *    the page starts with `loadConsolePage(locale, '/<screen>')` (app/_lib/console.ts: the admin
 *    guard) and renders inside `<ConsoleFrame screen="<key>">` (./_frame/ConsoleFrame.tsx);
 * 2. one line in ./nav.ts (`<key>: { path: '/<screen>' }`) and its label `nav.<key>` in both
 *    catalogues (the type checker insists on both);
 * 3. actions start with `consoleAction(data)` and change things only through `callAdmin` (the admin
 *    API's own operation in-process: its zod validation, If-Match and audit); a refusal becomes a
 *    form state with `problemState`. Destructive actions go through `<ConfirmStep>` (./_frame).
 */
export default async function ConsoleLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const lang = consoleLocaleOf(locale);
  return (
    <div lang={lang} dir={direction(lang)} className="min-h-screen bg-page text-ink">
      {children}
    </div>
  );
}
