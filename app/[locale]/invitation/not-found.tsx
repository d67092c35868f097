import { getTranslations } from 'next-intl/server';
import { headers } from 'next/headers';
import { Alert } from '@/components/Alert';
import { PageFrame } from '@/components/PageFrame';
import { isLocale } from '@/i18n/locales';
import { currentTheme } from '@/app/_lib/theme';

/** An invitation link that is unknown, used or expired (404): ask the administrator for a new one. */
export default async function InvitationNotFound() {
  // A not-found boundary gets no params, and next-intl's request locale may not be set yet when it
  // renders: the locale is the path's first segment, as the proxy passed it.
  const asked = (await headers()).get('x-foyer-path')?.split('/')[1];
  const locale = isLocale(asked) ? asked : 'en';
  const t = await getTranslations({ locale });
  return (
    <PageFrame theme={await currentTheme()} locale={locale} path="/invitation" heading={t('invitation.invalidTitle')}>
      <Alert tone="error" testId="invitation-invalid">
        {t('errors.invitation_invalid')}
      </Alert>
    </PageFrame>
  );
}
