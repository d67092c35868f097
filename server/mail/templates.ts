import { createTranslator } from 'next-intl';
import ar from '../../messages/ar.json';
import en from '../../messages/en.json';
import { direction } from '../../i18n/locales';
import { mailHtml, type MailBrand } from './html';
import type { OutgoingMail } from './mailer';

/** The typed catalogues texts sent out of band (mail, SMS) are written from. */
export const catalogues = { en, ar } as const;
export type MailLocale = keyof typeof catalogues;

/** A locale we have a catalogue for; English otherwise. */
export function catalogueLocale(locale: string): MailLocale {
  return locale in catalogues ? (locale as MailLocale) : 'en';
}

export type MailTemplate =
  | { kind: 'confirmSignUp'; code: string; minutes: number }
  | { kind: 'resetPassword'; code: string; minutes: number }
  | { kind: 'passwordChanged' }
  | { kind: 'accountExists' }
  | { kind: 'recoveryCodeUsed'; remaining: number }
  | { kind: 'mfaEmailCode'; code: string; minutes: number }
  | { kind: 'signInCode'; code: string; minutes: number }
  | { kind: 'magicLink'; url: string; minutes: number }
  | { kind: 'changeEmailCode'; code: string; minutes: number }
  | { kind: 'emailChanged'; destination: string }
  | { kind: 'securityChange'; change: SecurityChange };

/** Changes to how an account signs in, each announced to its owner by e-mail. */
export type SecurityChange = 'totp_added' | 'totp_removed' | 'email_codes_on' | 'email_codes_off' | 'sms_codes_on' | 'sms_codes_off' | 'phone_changed' | 'passkey_added' | 'passkey_removed' | 'identity_unlinked' | 'recovery_codes' | 'session_revoked' | 'device_forgotten';

/**
 * Each locale's translator for out-of-band texts, made once: messages are rendered in the request
 * that queues them, and a fresh translator costs about half a millisecond (a cached one, a tenth).
 */
export function outOfBandTranslators<N extends 'email' | 'sms'>(namespace: N) {
  const make = (lang: MailLocale) => createTranslator({ locale: lang, messages: catalogues[lang], namespace });
  const made = new Map<MailLocale, ReturnType<typeof make>>();
  return (locale: string) => {
    const lang = catalogueLocale(locale);
    let t = made.get(lang);
    if (!t) made.set(lang, (t = make(lang)));
    return t;
  };
}

const mailTranslator = outOfBandTranslators('email');

/** E-mails are written from the same typed catalogues as the screens. */
export function renderMail(to: string, template: MailTemplate, locale: string, poolName: string, brand?: MailBrand): OutgoingMail {
  const t = mailTranslator(locale);
  const values = { ...template, pool: poolName };
  const text = t(`${template.kind}.body`, values);
  const lang = catalogueLocale(locale);
  return {
    to,
    subject: t(`${template.kind}.subject`, values),
    text,
    ...(brand ? { html: mailHtml(text, poolName, brand, lang, direction(lang)) } : {}),
  };
}
