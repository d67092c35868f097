import { getTranslations } from 'next-intl/server';
import { PasskeyCeremony } from '@/components/passkeys/PasskeyCeremony';
import type { Locale } from '@/i18n/locales';
import { passkeyTexts } from '@/app/_lib/passkeys';
import { passkeyMfaAction, passkeyMfaOptionsAction } from './passkey-actions';

/** The MFA screen's passkey button (with "remember this device" when the pool offers it). */
export async function PasskeyMfa({ locale, uid, csrf, rememberDays }: { locale: Locale; uid: string; csrf: string; rememberDays: number }) {
  const t = await getTranslations({ locale });
  const { problems, waiting, needsJavaScript } = await passkeyTexts(locale);
  return (
    <PasskeyCeremony
      kind="authenticate"
      options={passkeyMfaOptionsAction}
      action={passkeyMfaAction}
      hidden={{ uid, csrf, locale }}
      label={t('passkeys.mfaSubmit')}
      waiting={waiting}
      problems={problems}
      fallback={needsJavaScript}
      testId="passkey-mfa"
      remember={rememberDays > 0 ? { label: t('mfa.remember', { days: rememberDays }) } : undefined}
    />
  );
}
