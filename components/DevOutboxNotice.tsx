import { getTranslations } from 'next-intl/server';
import type { Locale } from '@/i18n/locales';

/** Said on every screen that sends mail (or texts) while they are not really sent. */
export async function DevOutboxNotice({ locale, show, channel = 'email' }: { locale: Locale; show: boolean; channel?: 'email' | 'sms' }) {
  if (!show) return null;
  const t = await getTranslations({ locale });
  const link = (chunks: React.ReactNode) => (
    <a className="text-link underline" href={`/${locale}/dev/outbox`} target="_blank" rel="noopener">
      {chunks}
    </a>
  );
  return (
    <p className="textDescription-customizable text-sm text-muted border border-line rounded-theme px-3 py-2 mb-4" data-testid="dev-outbox-notice">
      {channel === 'sms' ? t.rich('sms.devOutboxNotice', { link }) : t.rich('common.devOutboxNotice', { link })}
    </p>
  );
}
