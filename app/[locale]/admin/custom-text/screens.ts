import type en from '@/messages/en.json';
import { isPreviewScreen, type PreviewScreen } from '@/app/_lib/preview';

/**
 * The preview screen that shows a message group's keys, where one does; the editor opens the
 * preview there and offers every screen to choose from.
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
  sms: 'mfa-sms',
  passkeys: 'passkey-setup',
  recoveryCodes: 'recovery-codes',
  federation: 'federation-link',
  passwordless: 'passwordless',
  errorPage: 'error',
  logout: 'signed-out',
  consent: 'consent',
  account: 'account',
};

/** Account page sections that have a page of their own. */
const accountPages: Partial<Record<keyof (typeof en)['account'], PreviewScreen>> = {
  emailChange: 'account-email',
  phoneChange: 'account-phone',
  password: 'account-password',
  totp: 'account-totp',
  recovery: 'account-recovery-codes',
};

/**
 * An e-mail's keys (`email.<kind>.*`) and a text message's (`sms.<kind>`) show on that message's
 * preview, the security-change e-mail on its first change; other keys on their group's screen.
 */
export function previewScreenOf(key: string): PreviewScreen {
  const [group, part] = key.split('.');
  if (group === 'email' && part === 'securityChange') return 'email-security-totp_added';
  const message = group === 'email' ? `email-${part}` : group === 'sms' ? `sms-${part}` : undefined;
  if (message && isPreviewScreen(message)) return message;
  if (group === 'account' && part) return accountPages[part as keyof (typeof en)['account']] ?? 'account';
  return screenOf[group as keyof typeof en] ?? 'login';
}
