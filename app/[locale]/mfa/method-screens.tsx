import type { ReactNode } from 'react';
import type { Locale } from '@/i18n/locales';
import type { Translator } from '@/app/_lib/translator';
import { isMethodKind, type FlowStep, type Method, type MethodKind } from '@/server/pool';
import { PasskeyMfa } from './PasskeyMfa';
import { leftToRight } from '@/app/_lib/bidi';

type T = Translator;
type MfaStep = Extract<FlowStep, { step: 'mfa' }>;

/**
 * The MFA screen's part of a method (its domain part is in server/pool/methods): the texts when
 * it is the one asked for, and its form when that is not the shared code form.
 */
export interface MfaScreen {
  heading(t: T): string;
  subheading(t: T, step: MfaStep): string;
  /** Codes are mailed or texted: the dev outbox notice for that channel, and a resend button. */
  sends?: { channel: 'email' | 'sms'; resend(t: T): string; resent(t: T): string };
  /** Replaces the code form (a browser ceremony). */
  Form?(p: { locale: Locale; uid: string; csrf: string; rememberDays: number }): Promise<ReactNode>;
  /** Above the recovery-code form when this is the only method a recovery code stands in for. */
  lost?(t: T): string;
}

/** The authenticator app's screen is also the one for a typed code of a method this screen does not know. */
const codeScreen: MfaScreen = { heading: (t) => t('mfa.title'), subheading: (t) => t('mfa.explain') };

/** Null: not chosen on this screen (the password is the first factor; recovery codes have their own form). */
export const mfaScreens: Record<MethodKind, MfaScreen | null> = {
  password: null,
  totp: codeScreen,
  email: {
    heading: (t) => t('mfaEmail.title'),
    subheading: (t, step) => t('mfaEmail.sent', { destination: leftToRight(step.destination ?? '') }),
    sends: { channel: 'email', resend: (t) => t('mfaEmail.resend'), resent: (t) => t('mfaEmail.resent') },
  },
  sms: {
    heading: (t) => t('mfaSms.title'),
    // The masked number reads left to right inside right-to-left text.
    subheading: (t, step) => t('mfaSms.sent', { destination: leftToRight(step.smsDestination ?? '') }),
    sends: { channel: 'sms', resend: (t) => t('mfaSms.resend'), resent: (t) => t('mfaSms.resent') },
    lost: (t) => t('methods.sms.lost'),
  },
  webauthn: {
    heading: (t) => t('passkeys.mfaTitle'),
    subheading: (t) => t('passkeys.mfaExplain'),
    Form: PasskeyMfa,
  },
  recovery: null,
  magic_link: null,
};

export function mfaScreen(kind: string): MfaScreen {
  return (isMethodKind(kind) ? mfaScreens[kind] : null) ?? codeScreen;
}

/** How a method is named where the user picks one. */
export const methodLabel = (t: T, method: Method) => t(`methods.${method.messages}.label`);
