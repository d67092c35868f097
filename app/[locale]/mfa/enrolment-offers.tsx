import { getTranslations } from 'next-intl/server';
import { FlowForm } from '@/components/FlowForm';
import { SubSection } from '@/components/SubSection';
import type { Locale } from '@/i18n/locales';
import type { Translator } from '@/app/_lib/translator';
import type { PoolSettings } from '@/server/config/seed';
import { enrolableKinds, isMethodKind, type Methods, type MethodKind } from '@/server/pool';
import { methodLabel } from './method-screens';
import { switchEnrolmentAction } from './enrolment-actions';

type EnrolmentScreen = 'mfa-setup' | 'mfa-setup-sms' | 'passkey-setup';

/** An enrolment screen's offer of a method: its button's text and test id (kept as the e2e specs know them). */
interface EnrolOffer {
  label(t: Translator): string;
  testId(from: EnrolmentScreen): string;
}

/** Null: never enrolled at sign-in. A kind this does not know gets `otherOffer`. */
export const enrolOffers: Record<MethodKind, EnrolOffer | null> = {
  password: null,
  totp: { label: (t) => t('smsSetup.useTotp'), testId: (from) => (from === 'passkey-setup' ? 'app-instead' : 'use-totp-setup') },
  email: null,
  sms: { label: (t) => t('smsSetup.useSms'), testId: () => 'use-sms-setup' },
  webauthn: { label: (t) => t('passkeys.createInstead'), testId: () => 'passkey-instead' },
  recovery: null,
  magic_link: null,
};

/**
 * "Use another method instead" on each forced-enrolment screen: every other method the registry
 * can enrol and the policy allows, in registry order, through one action.
 */
export async function EnrolmentOffers(p: { locale: Locale; uid: string; csrf: string; from: EnrolmentScreen; current: MethodKind; methods: Methods; mfa: PoolSettings['mfa'] }) {
  const t = await getTranslations({ locale: p.locale });
  const kinds = enrolableKinds(p.methods, p.mfa).filter((kind) => kind !== p.current);
  if (kinds.length === 0) return null;
  const buttons = kinds.map((kind) => {
    const offer = isMethodKind(kind) ? enrolOffers[kind] : null;
    return {
      label: offer ? offer.label(t) : t('mfaSetup.useInstead', { method: methodLabel(t, p.methods[kind]) }),
      name: 'to',
      value: kind,
      variant: 'secondary' as const,
      formNoValidate: true,
      testId: offer ? offer.testId(p.from) : `use-${kind}-setup`,
    };
  });
  return (
    <SubSection id="other-setup" heading={t('smsSetup.otherHeading')}>
      <FlowForm testId="switch-enrolment-form" action={switchEnrolmentAction} hidden={{ uid: p.uid, csrf: p.csrf, locale: p.locale, from: p.from }} fields={[]} buttons={buttons} />
    </SubSection>
  );
}
