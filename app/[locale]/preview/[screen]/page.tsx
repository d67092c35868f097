import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import type { ComponentType } from 'react';
import { FormPreview } from '@/components/FormPreview';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { previewMessage, previewRequest, type FlowPreviewScreen, type PagePreviewScreen } from '@/app/_lib/preview';
import AccountPage from '../../account/page';
import ChangeEmailPage from '../../account/email/page';
import ChangePasswordPage from '../../account/password/page';
import ChangePhonePage from '../../account/phone/page';
import AccountRecoveryCodesPage from '../../account/recovery-codes/page';
import AccountTotpPage from '../../account/totp/page';
import ConfirmPage from '../../confirm/page';
import ConsentPage from '../../consent/page';
import ErrorPage from '../../error/page';
import FederationErrorPage from '../../federation/error/page';
import LinkAccountPage from '../../federation/link/page';
import ForgotPasswordPage from '../../forgot-password/page';
import InvitationPage from '../../invitation/page';
import LoginPage from '../../login/page';
import MagicLinkPage from '../../login/link/page';
import PasswordlessPage from '../../login/passwordless/page';
import LoggedOutPage from '../../logout/done/page';
import LogoutPage from '../../logout/page';
import MfaPage from '../../mfa/page';
import PasskeySetupPage from '../../mfa/passkey/page';
import RecoveryCodesPage from '../../mfa/recovery-codes/page';
import TotpSetupPage from '../../mfa/setup/page';
import SmsSetupPage from '../../mfa/setup/sms/page';
import NewPasswordPage from '../../new-password/page';
import ResetPasswordPage from '../../reset-password/page';
import SignUpPage from '../../signup/page';
import { MessagePreview } from './MessagePreview';

export const metadata: Metadata = { robots: { index: false, follow: false } };

/**
 * The real page of each screen, and the query it is shown with (a sign-in variant, an error code);
 * `errorForm`: on a page of many forms, the one that shows the sample error. E-mails and texts
 * have a page of their own (MessagePreview).
 */
const screens: Record<FlowPreviewScreen | PagePreviewScreen, { page: ComponentType<PageProps>; query?: Record<string, string>; errorForm?: string }> = {
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
  'magic-link': { page: MagicLinkPage },
  invitation: { page: InvitationPage },
  'federation-error': { page: FederationErrorPage, query: { code: 'denied' } },
  error: { page: ErrorPage, query: { code: 'access_denied' } },
  logout: { page: LogoutPage },
  'signed-out': { page: LoggedOutPage },
  consent: { page: ConsentPage },
  account: { page: AccountPage, errorForm: 'sign-out-form' },
  'account-email': { page: ChangeEmailPage },
  'account-email-code': { page: ChangeEmailPage },
  'account-phone': { page: ChangePhonePage },
  'account-phone-code': { page: ChangePhonePage },
  'account-password': { page: ChangePasswordPage },
  'account-totp': { page: AccountTotpPage },
  'account-recovery-codes': { page: AccountRecoveryCodesPage },
};

/**
 * `/<locale>/preview/<screen>?preview=<token>&state=…&scheme=…`: a hosted screen as the theme
 * editor shows it (app/_lib/preview.ts). Without a valid token there is nothing here.
 */
export default async function PreviewPage(props: PageProps & { params: Promise<{ locale: string; screen: string }> }) {
  const { locale, query } = await pageInput(props);
  const preview = await previewRequest();
  if (!preview) notFound();
  const message = previewMessage(preview.screen);
  if (message) return <MessagePreview locale={locale} screen={preview.screen} token={query.preview ?? ''} preview={preview} message={message} />;
  const t = await getTranslations({ locale });
  const { page: Page, query: sample, errorForm } = screens[preview.screen as FlowPreviewScreen | PagePreviewScreen];
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
    <FormPreview value={{ state: preview.state, samples, errorMessage: t('errors.invalid_credentials'), errorForm }}>
      <Page params={props.params} searchParams={searchParams} />
    </FormPreview>
  );
}
