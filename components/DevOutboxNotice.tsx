import { getTranslations } from 'next-intl/server';
import type { Locale } from '@/i18n/locales';

/** Said on every screen that sends mail while mail is not really sent. */
export async function DevOutboxNotice({ locale, show }: { locale: Locale; show: boolean }) {
  if (!show) return null;
  const t = await getTranslations({ locale, namespace: 'common' });
  return (
    <p className="text-sm text-muted border border-line rounded-theme px-3 py-2 mb-4" data-testid="dev-outbox-notice">
      {t.rich('devOutboxNotice', {
        link: (chunks) => (
          <a className="text-brand underline" href={`/${locale}/dev/outbox`} target="_blank" rel="noopener">
            {chunks}
          </a>
        ),
      })}
    </p>
  );
}
