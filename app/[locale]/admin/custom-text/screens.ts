import type en from '@/messages/en.json';
import type { PreviewScreen } from '@/app/_lib/preview';

/**
 * The preview screen that shows a message group's keys, where one does; the editor opens the
 * preview there and offers every screen to choose from (e-mails, SMS, account pages have none yet).
 */
const screenOf: Partial<Record<keyof typeof en, PreviewScreen>> = {
  meta: 'login',
  common: 'login',
  footer: 'login',
  login: 'login',
  errors: 'login',
  signup: 'signup',
  confirm: 'confirm',
  forgot: 'forgot-password',
  reset: 'reset-password',
  newPassword: 'new-password',
  mfa: 'mfa-totp',
  mfaChoose: 'mfa-totp',
  mfaRecovery: 'mfa-totp',
  methods: 'mfa-totp',
  mfaEmail: 'mfa-email',
  mfaSms: 'mfa-sms',
  mfaSetup: 'mfa-setup',
  smsSetup: 'mfa-setup-sms',
  passkeys: 'passkey-setup',
  recoveryCodes: 'recovery-codes',
  federation: 'federation-link',
  passwordless: 'passwordless',
  errorPage: 'error',
  logout: 'signed-out',
};

export const previewScreenOf = (key: string): PreviewScreen => screenOf[key.split('.')[0] as keyof typeof en] ?? 'login';
