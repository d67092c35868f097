import type { ReactNode } from 'react';
import { FlowForm } from '@/components/FlowForm';
import { Logo } from '@/components/Logo';
import { currentTheme } from '@/app/_lib/theme';
import type { ConsoleCtx } from '@/app/_lib/console';
import { consoleScreens, type ScreenKey } from '../nav';
import { signOutAction } from '../actions';

/**
 * Every console screen: the banner (who is signed in, sign out), the navigation, and the screen
 * itself. The banner and main landmarks are named (the console's title, the screen's heading): a
 * screen that frames a hosted page (the theme editor's preview) then has landmarks of the same
 * kinds that remain distinguishable (axe landmark-unique).
 */
export async function ConsoleFrame({ ctx, screen, heading, children }: { ctx: ConsoleCtx; screen: ScreenKey; heading: string; children: ReactNode }) {
  const { t, locale } = ctx;
  const theme = await currentTheme();
  const me = await ctx.rt.pool.users.get({ id: ctx.userId });
  return (
    <div className="foyer-console flex flex-col min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:p-2 focus:bg-surface">
        {t('meta.skipToContent')}
      </a>
      <header aria-labelledby="console-title" className="flex flex-wrap items-center gap-4 px-4 py-3 border-b border-line bg-surface">
        <Logo theme={theme} />
        <p id="console-title" className="font-semibold">{t('meta.title')}</p>
        <p className="ms-auto text-sm text-muted" data-testid="console-user">
          {t('meta.signedInAs', { name: me?.username ?? ctx.userId })}
        </p>
        <div className="w-40">
          <FlowForm testId="console-sign-out-form" action={signOutAction} hidden={ctx.hidden} fields={[]} buttons={[{ label: t('meta.signOut'), variant: 'secondary', testId: 'console-sign-out' }]} />
        </div>
      </header>
      <div className="flex flex-1 flex-col md:flex-row">
        <nav aria-label={t('meta.nav')} className="md:w-52 border-b md:border-b-0 md:border-e border-line bg-surface p-3">
          <ul className="flex flex-wrap md:flex-col gap-1">
            {(Object.keys(consoleScreens) as ScreenKey[]).map((key) => (
              <li key={key}>
                <a
                  href={`/${locale}/admin${consoleScreens[key].path}`}
                  aria-current={key === screen ? 'page' : undefined}
                  className={`block rounded-theme px-3 py-2 underline-offset-2 hover:underline ${key === screen ? 'bg-brand text-brand-ink font-semibold' : 'text-link'}`}
                >
                  {t(`nav.${key}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" aria-labelledby="console-heading" className="flex-1 p-4 md:p-6 min-w-0">
          {/* Headings name ids (https://api.example.com/orders): they wrap anywhere rather than widen a 320 px screen. */}
          <h1 id="console-heading" className="text-2xl font-semibold mb-4 [overflow-wrap:anywhere]">{heading}</h1>
          {children}
        </main>
      </div>
    </div>
  );
}

/** A titled block of a console screen. */
export function Panel({ id, heading, children }: { id: string; heading: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="mb-6 bg-surface border border-line rounded-theme p-4">
      <h2 id={id} className="text-lg font-medium mb-3">
        {heading}
      </h2>
      {children}
    </section>
  );
}
