import { outOfBandTranslators } from '../mail/templates';
import type { OutgoingSms, SmsPurpose } from './sender';

export type SmsTemplate =
  | { kind: 'mfaCode'; code: string; minutes: number }
  | { kind: 'verifyPhone'; code: string; minutes: number }
  | { kind: 'confirmSignUp'; code: string; minutes: number }
  | { kind: 'signInCode'; code: string; minutes: number };

const purposes: Record<SmsTemplate['kind'], SmsPurpose> = { mfaCode: 'mfa', verifyPhone: 'verify_phone', confirmSignUp: 'confirm_sign_up', signInCode: 'sign_in' };

/** Texts are written from the same typed catalogues as the screens, in the reader's language. */
const smsTranslator = outOfBandTranslators('sms');

/** `messages`: the reader's catalogue with custom text merged in. */
export function renderSms(to: string, template: SmsTemplate, locale: string, poolName: string, messages?: Parameters<typeof smsTranslator>[1]): OutgoingSms {
  const t = smsTranslator(locale, messages);
  return { to, body: t(template.kind, { ...template, pool: poolName }), purpose: purposes[template.kind] };
}
