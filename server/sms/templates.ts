import { createTranslator } from 'next-intl';
import { catalogueLocale, catalogues } from '../mail/templates';
import type { OutgoingSms, SmsPurpose } from './sender';

export type SmsTemplate = { kind: 'mfaCode'; code: string; minutes: number } | { kind: 'verifyPhone'; code: string; minutes: number };

const purposes: Record<SmsTemplate['kind'], SmsPurpose> = { mfaCode: 'mfa', verifyPhone: 'verify_phone' };

/** Texts are written from the same typed catalogues as the screens, in the reader's language. */
export function renderSms(to: string, template: SmsTemplate, locale: string, poolName: string): OutgoingSms {
  const lang = catalogueLocale(locale);
  const t = createTranslator({ locale: lang, messages: catalogues[lang], namespace: 'sms' });
  return { to, body: t(template.kind, { ...template, pool: poolName }), purpose: purposes[template.kind] };
}
