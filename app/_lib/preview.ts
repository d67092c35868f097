import { headers } from 'next/headers';
import { cache } from 'react';
import type { AppliedTheme } from '@/server/pool/themes';
import type { FlowStep, MailTemplate, SecurityChange, SmsTemplate } from '@/server/pool';
import { runtime } from '@/server/runtime-handle';

/**
 * The theme editor's preview: every hosted screen rendered by its real page with sample data
 * and no real sign-in, in the theme a signed preview token names (its draft, usually). Flow
 * pages get a sample step from `loadFlowPage`; their forms are inert (components/FormPreview).
 */
export const previewStates = ['empty', 'filled', 'error', 'loading'] as const;
export type PreviewState = (typeof previewStates)[number];

/** The interaction id preview screens show in their links (no interaction has it: they lead nowhere real). */
export const PREVIEW_UID = 'preview';

const USER = 'preview-user';
const amr = ['pwd'];

/** The sample step each sign-in screen is shown at; pages without a flow step have none. */
export const previewSteps = {
  login: { step: 'sign-in' },
  signup: { step: 'sign-in' },
  'forgot-password': { step: 'sign-in' },
  confirm: { step: 'confirm-account', userId: USER, destination: 'a•••@e•••.com' },
  'new-password': { step: 'new-password', userId: USER },
  'reset-password': { step: 'reset-password', userId: USER, identifier: 'ana@example.com', destination: 'a•••@e•••.com', forced: false },
  passwordless: { step: 'passwordless', method: 'email_otp', userId: USER, identifier: 'ana@example.com', attempt: 'preview', destination: 'a•••@e•••.com' },
  'mfa-totp': { step: 'mfa', userId: USER, amr, methods: ['totp', 'email', 'sms'], method: 'totp', attempt: 'preview', destination: 'a•••@e•••.com', smsDestination: '+1 ••• ••• ••23' },
  'mfa-email': { step: 'mfa', userId: USER, amr, methods: ['totp', 'email', 'sms'], method: 'email', attempt: 'preview', destination: 'a•••@e•••.com', smsDestination: '+1 ••• ••• ••23' },
  'mfa-sms': { step: 'mfa', userId: USER, amr, methods: ['totp', 'email', 'sms'], method: 'sms', attempt: 'preview', destination: 'a•••@e•••.com', smsDestination: '+1 ••• ••• ••23' },
  'mfa-setup': { step: 'mfa-setup', userId: USER, amr, secret: 'JBSWY3DPEHPK3PXP' },
  'mfa-setup-sms': { step: 'mfa-setup-sms', userId: USER, amr, phone: null, destination: null },
  'passkey-setup': { step: 'passkey-setup', userId: USER, amr },
  'recovery-codes': { step: 'recovery-codes', userId: USER, amr, codes: ['7K3D-9QXM', 'P4VN-2HJT', 'W8RB-6CFL', 'M2ZS-5GYE', 'D9LA-3TKU', 'H6QP-8NWX', 'B5JV-4RMC', 'X3TE-7DLG'] },
  'federation-link': { step: 'link-account', userId: USER, provider: 'Example', email: 'ana@example.com' },
  'magic-link': null,
  invitation: null,
  'federation-error': null,
  error: null,
  logout: null,
  'signed-out': null,
} as const satisfies Record<string, FlowStep | null>;

/** The sign-in screens, and the pages beside the flow (a mailed link's landing, errors, signing out). */
export type FlowPreviewScreen = keyof typeof previewSteps;

/**
 * The consent screen and the account pages, each shown by its real page with a sample user and
 * no session (app/_lib/account.ts): `-code` is the page once a code was sent to a new address.
 */
export const previewPages = ['consent', 'account', 'account-email', 'account-email-code', 'account-phone', 'account-phone-code', 'account-password', 'account-totp', 'account-recovery-codes'] as const;
export type PagePreviewScreen = (typeof previewPages)[number];
export type AccountPreviewScreen = Exclude<PagePreviewScreen, 'consent'>;

type MailKind = Exclude<MailTemplate['kind'], 'securityChange'>;
/** A sample of every e-mail (the type checker asks for each new kind); security changes are listed apart, one screen each. */
export const previewMails: { [K in MailKind]: Extract<MailTemplate, { kind: K }> } = {
  confirmSignUp: { kind: 'confirmSignUp', code: '123456', minutes: 15 },
  resetPassword: { kind: 'resetPassword', code: '123456', minutes: 15 },
  adminResetPassword: { kind: 'adminResetPassword', code: '123456', minutes: 15 },
  passwordChanged: { kind: 'passwordChanged' },
  accountExists: { kind: 'accountExists' },
  recoveryCodeUsed: { kind: 'recoveryCodeUsed', remaining: 7 },
  mfaEmailCode: { kind: 'mfaEmailCode', code: '123456', minutes: 5 },
  signInCode: { kind: 'signInCode', code: '123456', minutes: 5 },
  magicLink: { kind: 'magicLink', url: 'https://example.com/preview-link', minutes: 15 },
  invitation: { kind: 'invitation', username: 'ana', url: 'https://example.com/preview-link', days: 7 },
  changeEmailCode: { kind: 'changeEmailCode', code: '123456', minutes: 15 },
  emailChanged: { kind: 'emailChanged', destination: 'ana.new@example.com' },
};
const securityChanges: Record<SecurityChange, true> = {
  totp_added: true,
  totp_removed: true,
  email_codes_on: true,
  email_codes_off: true,
  sms_codes_on: true,
  sms_codes_off: true,
  phone_changed: true,
  passkey_added: true,
  passkey_removed: true,
  identity_unlinked: true,
  recovery_codes: true,
  session_revoked: true,
  device_forgotten: true,
};
/** A sample of every text message. */
export const previewTexts: { [K in SmsTemplate['kind']]: Extract<SmsTemplate, { kind: K }> } = {
  mfaCode: { kind: 'mfaCode', code: '123456', minutes: 5 },
  verifyPhone: { kind: 'verifyPhone', code: '123456', minutes: 10 },
  confirmSignUp: { kind: 'confirmSignUp', code: '123456', minutes: 15 },
  signInCode: { kind: 'signInCode', code: '123456', minutes: 5 },
};

export type MailPreviewScreen = `email-${MailKind}` | `email-security-${SecurityChange}`;
export type TextPreviewScreen = `sms-${SmsTemplate['kind']}`;
const mailScreens = [
  ...Object.keys(previewMails).map((k) => `email-${k}` as MailPreviewScreen),
  ...Object.keys(securityChanges).map((c) => `email-security-${c}` as MailPreviewScreen),
];
const textScreens = Object.keys(previewTexts).map((k) => `sms-${k}` as TextPreviewScreen);

/** The message a mail or text screen shows; undefined for the other screens. */
export function previewMessage(screen: PreviewScreen): { channel: 'email'; template: MailTemplate } | { channel: 'sms'; template: SmsTemplate } | undefined {
  if (screen.startsWith('email-security-')) return { channel: 'email', template: { kind: 'securityChange', change: screen.slice('email-security-'.length) as SecurityChange } };
  if (screen.startsWith('email-')) return { channel: 'email', template: previewMails[screen.slice('email-'.length) as MailKind] };
  if (screen.startsWith('sms-')) return { channel: 'sms', template: previewTexts[screen.slice('sms-'.length) as SmsTemplate['kind']] };
  return undefined;
}

export type PreviewScreen = FlowPreviewScreen | PagePreviewScreen | MailPreviewScreen | TextPreviewScreen;
/** Every screen the previews can show, by kind, in the order the console's choosers list them. */
export const previewScreenGroups = {
  flow: Object.keys(previewSteps) as FlowPreviewScreen[],
  pages: previewPages,
  email: mailScreens,
  sms: textScreens,
} as const satisfies Record<string, readonly PreviewScreen[]>;
export type PreviewScreenGroup = keyof typeof previewScreenGroups;
export const previewScreens: readonly PreviewScreen[] = Object.values(previewScreenGroups).flat();
const known = new Set<string>(previewScreens);
export const isPreviewScreen = (s: string): s is PreviewScreen => known.has(s);

export interface PreviewRequest {
  screen: PreviewScreen;
  state: PreviewState;
  /** The palette the editor forces, if it does. */
  scheme?: 'light' | 'dark';
  applied: AppliedTheme;
  /** The signed token (it may also name unsaved custom text, which e-mails and texts then show). */
  token: string;
}

/**
 * This request's preview, once per request: only on `/<locale>/preview/<screen>` (the proxy
 * passes the token and switches there alone) with a valid token; else undefined.
 */
export const previewRequest = cache(async (): Promise<PreviewRequest | undefined> => {
  const h = await headers();
  const token = h.get('x-foyer-preview');
  const [, , section, screen] = (h.get('x-foyer-path') ?? '').split('/');
  if (!token || section !== 'preview' || !screen || !isPreviewScreen(screen)) return undefined;
  const asked = h.get('x-foyer-preview-scheme');
  const scheme = asked === 'light' || asked === 'dark' ? asked : undefined;
  const applied = await (await runtime()).themes.preview(token, scheme);
  if (!applied) return undefined;
  const state = h.get('x-foyer-preview-state');
  return { screen, state: (previewStates as readonly string[]).includes(state ?? '') ? (state as PreviewState) : 'empty', scheme, applied, token };
});
