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
  invitation: 'invitation',
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
  logout: 'logout',
  consent: 'consent',
  account: 'account',
};

/** The keys of a group that show on another screen than the group's: account sections with a page of their own, and the like. */
const sections: { [G in keyof typeof en]?: Partial<Record<keyof (typeof en)[G], PreviewScreen>> } = {
  account: { emailChange: 'account-email', phoneChange: 'account-phone', password: 'account-password', totp: 'account-totp', recovery: 'account-recovery-codes' },
  logout: { doneTitle: 'signed-out', doneBody: 'signed-out' },
  federation: { errors: 'federation-error' },
  passwordless: { linkHeading: 'magic-link', linkExplain: 'magic-link', linkSubmit: 'magic-link', elsewhereHeading: 'magic-link', elsewhere: 'magic-link', invalidHeading: 'magic-link' },
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
  const section = (sections[group as keyof typeof en] as Record<string, PreviewScreen> | undefined)?.[part];
  return section ?? screenOf[group as keyof typeof en] ?? 'login';
}
