import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import type { ComponentType } from 'react';
import { FormPreview } from '@/components/FormPreview';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { previewRequest, type PreviewScreen } from '@/app/_lib/preview';
import ConfirmPage from '../../confirm/page';
import ErrorPage from '../../error/page';
import LinkAccountPage from '../../federation/link/page';
import ForgotPasswordPage from '../../forgot-password/page';
import LoginPage from '../../login/page';
import PasswordlessPage from '../../login/passwordless/page';
import LoggedOutPage from '../../logout/done/page';
import MfaPage from '../../mfa/page';
import PasskeySetupPage from '../../mfa/passkey/page';
import RecoveryCodesPage from '../../mfa/recovery-codes/page';
import TotpSetupPage from '../../mfa/setup/page';
import SmsSetupPage from '../../mfa/setup/sms/page';
import NewPasswordPage from '../../new-password/page';
import ResetPasswordPage from '../../reset-password/page';
import SignUpPage from '../../signup/page';

export const metadata: Metadata = { robots: { index: false, follow: false } };

/** The real page of each screen, and the query it is shown with (a sign-in variant, an error code). */
const screens: Record<PreviewScreen, { page: ComponentType<PageProps>; query?: Record<string, string> }> = {
  login: { page: LoginPage },
  signup: { page: SignUpPage },
  'forgot-password': { page: ForgotPasswordPage },
  confirm: { page: ConfirmPage },
  'new-password': { page: NewPasswordPage },
  'reset-password': { page: ResetPasswordPage },
  passwordless: { page: PasswordlessPage },
  'mfa-totp': { page: MfaPage },
  'mfa-email': { page: MfaPage },
  'mfa-sms': { page: MfaPage },
  'mfa-setup': { page: TotpSetupPage },
  'mfa-setup-sms': { page: SmsSetupPage },
  'passkey-setup': { page: PasskeySetupPage },
  'recovery-codes': { page: RecoveryCodesPage },
  'federation-link': { page: LinkAccountPage },
  error: { page: ErrorPage, query: { code: 'access_denied' } },
  'signed-out': { page: LoggedOutPage },
};

/**
 * `/<locale>/preview/<screen>?preview=<token>&state=…&scheme=…`: a hosted screen as the theme
 * editor shows it (app/_lib/preview.ts). Without a valid token there is nothing here.
 */
export default async function PreviewPage(props: PageProps & { params: Promise<{ locale: string; screen: string }> }) {
  const { locale, query } = await pageInput(props);
  const preview = await previewRequest();
  if (!preview) notFound();
  const t = await getTranslations({ locale });
  const { page: Page, query: sample } = screens[preview.screen];
  const p = (key: 'text' | 'email' | 'password' | 'phone' | 'code') => t(`preview.samples.${key}`);
  const samples = {
    text: p('text'),
    username: p('text'),
    email: p('email'),
    password: p('password'),
    'current-password': p('password'),
    'new-password': p('password'),
    tel: p('phone'),
    'one-time-code': p('code'),
  };
  // Sign-in variants come from the query as on the real screen (`method`).
  const searchParams = Promise.resolve({ ...sample, ...(query.method ? { method: query.method } : {}) });
  return (
    <FormPreview value={{ state: preview.state, samples, errorMessage: t('errors.invalid_credentials') }}>
      <Page params={props.params} searchParams={searchParams} />
    </FormPreview>
  );
}
