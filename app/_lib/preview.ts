import { headers } from 'next/headers';
import { cache } from 'react';
import type { AppliedTheme } from '@/server/pool/themes';
import type { FlowStep } from '@/server/pool';
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
  error: null,
  'signed-out': null,
} as const satisfies Record<string, FlowStep | null>;

export type PreviewScreen = keyof typeof previewSteps;
export const previewScreens = Object.keys(previewSteps) as PreviewScreen[];
export const isPreviewScreen = (s: string): s is PreviewScreen => Object.hasOwn(previewSteps, s);

export interface PreviewRequest {
  screen: PreviewScreen;
  state: PreviewState;
  applied: AppliedTheme;
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
  const scheme = h.get('x-foyer-preview-scheme');
  const applied = await (await runtime()).themes.preview(token, scheme === 'light' || scheme === 'dark' ? scheme : undefined);
  if (!applied) return undefined;
  const state = h.get('x-foyer-preview-state');
  return { screen, state: (previewStates as readonly string[]).includes(state ?? '') ? (state as PreviewState) : 'empty', applied };
});
