'use client';

import { useTranslations } from 'next-intl';
import { Alert } from '@/components/Alert';
import { Shell } from '@/components/Shell';
import defaultTheme from '@/themes/default.json';
import type { ResolvedTheme } from '@/themes/schema';

// The built-in default without its zod parse (themes tests validate it), so the schema stays out of
// the browser's bundle. A crash screen has no request to read the app's theme from.
const theme = defaultTheme as unknown as ResolvedTheme;

/** When an enhanced (JavaScript) submission fails unexpectedly: a translated message, not Next's. */
export default function ScreenError({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations('errorPage');
  return (
    <Shell theme={theme} heading={t('title')}>
      <Alert tone="error">{t('crashed')}</Alert>
      <button type="button" onClick={() => reset()} className="redirect-customizable underline text-link">
        {t('reload')}
      </button>
    </Shell>
  );
}
