'use client';

import { useTranslations } from 'next-intl';
import { Alert } from '@/components/Alert';
import { Shell } from '@/components/Shell';

/** When an enhanced (JavaScript) submission fails unexpectedly: a translated message, not Next's. */
export default function ScreenError({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations('errorPage');
  return (
    <Shell heading={t('title')}>
      <Alert tone="error">{t('crashed')}</Alert>
      <button type="button" onClick={() => reset()} className="underline text-brand">
        {t('reload')}
      </button>
    </Shell>
  );
}
