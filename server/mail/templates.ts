import { createTranslator } from 'next-intl';
import ar from '../../messages/ar.json';
import en from '../../messages/en.json';
import he from '../../messages/he.json';
import fa from '../../messages/fa.json';
import ur from '../../messages/ur.json';
import de from '../../messages/de.json';
import fr from '../../messages/fr.json';
import es from '../../messages/es.json';
import es_419 from '../../messages/es-419.json';
import pt_BR from '../../messages/pt-BR.json';
import pt_PT from '../../messages/pt-PT.json';
import it from '../../messages/it.json';
import nl from '../../messages/nl.json';
import sv from '../../messages/sv.json';
import da from '../../messages/da.json';
import nb from '../../messages/nb.json';
import fi from '../../messages/fi.json';
import pl from '../../messages/pl.json';
import cs from '../../messages/cs.json';
import sk from '../../messages/sk.json';
import hu from '../../messages/hu.json';
import ro from '../../messages/ro.json';
import bg from '../../messages/bg.json';
import el from '../../messages/el.json';
import ru from '../../messages/ru.json';
import uk from '../../messages/uk.json';
import tr from '../../messages/tr.json';
import hi from '../../messages/hi.json';
import bn from '../../messages/bn.json';
import th from '../../messages/th.json';
import vi from '../../messages/vi.json';
import id from '../../messages/id.json';
import ms from '../../messages/ms.json';
import zh_Hans from '../../messages/zh-Hans.json';
import zh_Hant from '../../messages/zh-Hant.json';
import ja from '../../messages/ja.json';
import ko from '../../messages/ko.json';
import hr from '../../messages/hr.json';
import sr from '../../messages/sr.json';
import sl from '../../messages/sl.json';
import lt from '../../messages/lt.json';
import lv from '../../messages/lv.json';
import et from '../../messages/et.json';
import ca from '../../messages/ca.json';
import { direction } from '../../i18n/locales';
import { mailHtml, type MailBrand } from './html';
import type { OutgoingMail } from './mailer';

/** The typed catalogues texts sent out of band (mail, SMS) are written from. */
export const catalogues = { en, ar, he, fa, ur, de, fr, es, 'es-419': es_419, 'pt-BR': pt_BR, 'pt-PT': pt_PT, it, nl, sv, da, nb, fi, pl, cs, sk, hu, ro, bg, el, ru, uk, tr, hi, bn, th, vi, id, ms, 'zh-Hans': zh_Hans, 'zh-Hant': zh_Hant, ja, ko, hr, sr, sl, lt, lv, et, ca } as const;
export type MailLocale = keyof typeof catalogues;

/** A locale we have a catalogue for; English otherwise. */
export function catalogueLocale(locale: string): MailLocale {
  return locale in catalogues ? (locale as MailLocale) : 'en';
}

export type MailTemplate =
  | { kind: 'confirmSignUp'; code: string; minutes: number }
  | { kind: 'resetPassword'; code: string; minutes: number }
  | { kind: 'adminResetPassword'; code: string; minutes: number }
  | { kind: 'passwordChanged' }
  | { kind: 'accountExists' }
  | { kind: 'recoveryCodeUsed'; remaining: number }
  | { kind: 'mfaEmailCode'; code: string; minutes: number }
  | { kind: 'signInCode'; code: string; minutes: number }
  | { kind: 'magicLink'; url: string; minutes: number }
  | { kind: 'invitation'; username: string; url: string; days: number }
  | { kind: 'changeEmailCode'; code: string; minutes: number }
  | { kind: 'emailChanged'; destination: string }
  | { kind: 'securityChange'; change: SecurityChange };

/** Changes to how an account signs in, each announced to its owner by e-mail. */
export type SecurityChange = 'totp_added' | 'totp_removed' | 'email_codes_on' | 'email_codes_off' | 'sms_codes_on' | 'sms_codes_off' | 'phone_changed' | 'passkey_added' | 'passkey_removed' | 'identity_unlinked' | 'recovery_codes' | 'session_revoked' | 'device_forgotten';

/**
 * Each locale's translator for out-of-band texts, made once per catalogue (`messages`: the
 * locale's with an operator's custom text merged in, else the shipped one): messages are rendered
 * in the request that queues them, and a fresh translator costs about half a millisecond (a
 * cached one, a tenth).
 */
export function outOfBandTranslators<N extends 'email' | 'sms'>(namespace: N) {
  const make = (lang: MailLocale, messages: typeof en) => createTranslator({ locale: lang, messages, namespace });
  const made = new WeakMap<object, ReturnType<typeof make>>();
  return (locale: string, messages?: typeof en) => {
    const lang = catalogueLocale(locale);
    const catalogue = messages ?? (catalogues[lang] as typeof en);
    let t = made.get(catalogue);
    if (!t) made.set(catalogue, (t = make(lang, catalogue)));
    return t;
  };
}

const mailTranslator = outOfBandTranslators('email');

/** E-mails are written from the same typed catalogues as the screens (`messages`: with custom text). */
export function renderMail(to: string, template: MailTemplate, locale: string, poolName: string, brand?: MailBrand, messages?: typeof en): OutgoingMail {
  const t = mailTranslator(locale, messages);
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
