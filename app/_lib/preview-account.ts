import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import type { Locale } from '@/i18n/locales';
import type { MethodStanding, User } from '@/server/pool';
import { ACCOUNT_CLIENT_ID } from '@/server/pool/account/client';
import { runtime } from '@/server/runtime-handle';
import type { AccountData, AccountPage, AccountSession } from './account';
import { PREVIEW_UID, previewPages, previewSteps, type AccountPreviewScreen, type PreviewScreen } from './preview';

const isAccountScreen = (s: PreviewScreen): s is AccountPreviewScreen => s !== 'consent' && (previewPages as readonly string[]).includes(s);

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** What each account screen is shown with beyond the sample user: a code sent to a new address, or not. */
const pending: Record<AccountPreviewScreen, { email?: string; phone?: string }> = {
  account: {},
  'account-email': {},
  'account-email-code': { email: 'ana.new@example.com' },
  'account-phone': {},
  'account-phone-code': { phone: '+14155550199' },
  'account-password': {},
  'account-totp': {},
  'account-recovery-codes': {},
};

/**
 * An account page for the theme editor's preview: a sample user with a little of everything (two
 * sign-ins, a remembered device, a passkey, a linked identity, second factors as the pool's real
 * settings offer them), no session and no CSRF token, so its forms post nothing that could pass.
 * Nothing here reads a cookie or a user's row.
 */
export async function previewAccountPage(locale: Locale, screen: PreviewScreen): Promise<AccountPage> {
  if (!isAccountScreen(screen)) notFound();
  const rt = await runtime();
  const t = await getTranslations({ locale });
  const settings = await rt.pool.settings();
  const now = rt.pool.ctx.now();
  const email = t('preview.samples.email');
  const phone = t('preview.samples.phone');
  const user: User = {
    id: 'preview-user',
    username: t('preview.samples.text'),
    email,
    emailVerified: true,
    phoneNumber: phone,
    phoneNumberVerified: true,
    status: 'CONFIRMED',
    enabled: true,
    attributes: {},
    createdAt: now - 90 * DAY,
    updatedAt: now - DAY,
  };
  const session: AccountSession = {
    id: PREVIEW_UID,
    userId: user.id,
    grantId: PREVIEW_UID,
    idToken: '',
    authTime: now,
    amr: ['pwd'],
    pendingEmail: pending[screen].email ?? null,
    pendingPhone: pending[screen].phone ?? null,
    pendingTotp: null,
  };
  const factors = settings.mfa.factors;
  const standings: MethodStanding[] = [
    ...(factors.includes('totp') ? [{ kind: 'totp', on: true }] : []),
    ...(factors.includes('email') ? [{ kind: 'email', on: true, address: 'a•••@e•••.com' }] : []),
    ...(factors.includes('sms') ? [{ kind: 'sms', on: false, address: '+1 ••• ••• ••23' }] : []),
    { kind: 'recovery', on: true, count: 7 },
  ];
  const secret = previewSteps['mfa-setup'].secret;
  const data: AccountData = {
    security: async () => ({ mode: settings.mfa.mode, allowed: [...factors], methods: standings, totp: factors.includes('totp'), recoveryCodesLeft: 7 }),
    devices: async () => (settings.mfa.remember_device_days > 0 ? [{ id: 'preview-device', label: t('preview.samples.device'), createdAt: now - 3 * DAY, lastUsedAt: now - DAY, expiresAt: now + 27 * DAY }] : []),
    signIns: async () => [
      { handle: 'preview-current', signedInAt: now - HOUR, clients: [ACCOUNT_CLIENT_ID], current: true },
      { handle: 'preview-other', signedInAt: now - 2 * DAY, clients: [PREVIEW_UID], current: false },
    ],
    passkeys: async () =>
      factors.includes('webauthn')
        ? [{ id: 'preview-passkey', name: t('preview.samples.passkey'), deviceType: 'multiDevice', backedUp: true, transports: ['internal'], aaguid: '', createdAt: now - 30 * DAY, lastUsedAt: now - 2 * DAY }]
        : [],
    identities: async () => [{ providerName: 'preview', providerType: 'oidc', subject: 'preview', issuer: null, linkedAt: now - 60 * DAY, lastSignInAt: now - 5 * DAY, label: t('preview.samples.provider') }],
    clientName: async (clientId) => (clientId === PREVIEW_UID ? t('preview.appName') : undefined),
    totpSetup: async () => ({ secret, uri: await rt.pool.mfa.totpUri({ secret, account: email }) }),
    recoveryCodes: async () => [...previewSteps['recovery-codes'].codes],
    outboxVisible: () => false,
  };
  return { rt, session, user, csrf: '', hidden: { csrf: '', locale }, data };
}
