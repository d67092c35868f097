import { getTranslations } from 'next-intl/server';
import { PasskeyCeremony } from '@/components/passkeys/PasskeyCeremony';
import type { Locale } from '@/i18n/locales';
import { passkeyTexts } from '@/app/_lib/passkeys';
import { passkeySignInAction, passkeySignInOptionsAction } from './passkey-actions';

/** "Sign in with a passkey" and the passkey autofill of the identifier field; nothing without JavaScript. */
export async function PasskeySignIn({ locale, uid, csrf }: { locale: Locale; uid: string; csrf: string }) {
  const t = await getTranslations({ locale, namespace: 'passkeys' });
  const { problems, waiting } = await passkeyTexts(locale);
  return (
    <PasskeyCeremony
      kind="authenticate"
      autofill
      options={passkeySignInOptionsAction}
      action={passkeySignInAction}
      hidden={{ uid, csrf, locale }}
      label={t('signIn')}
      waiting={waiting}
      problems={problems}
      variant="secondary"
      testId="passkey-sign-in"
      lead={<p className="text-center text-sm text-muted mb-4">{t('or')}</p>}
    />
  );
}
