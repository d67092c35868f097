import { getTranslations } from 'next-intl/server';
import { FlowForm } from '@/components/FlowForm';
import { SubSection } from '@/components/SubSection';
import type { Locale } from '@/i18n/locales';
import { passkeyInsteadAction } from './actions';

/** On the authenticator app's setup screen, when the pool allows passkeys too. */
export async function PasskeyInstead({ locale, uid, csrf }: { locale: Locale; uid: string; csrf: string }) {
  const t = await getTranslations({ locale, namespace: 'passkeys' });
  return (
    <SubSection id="prefer-passkey" heading={t('preferPasskey')}>
      <FlowForm
        testId="passkey-instead-form"
        action={passkeyInsteadAction}
        hidden={{ uid, csrf, locale }}
        fields={[]}
        buttons={[{ label: t('createInstead'), variant: 'secondary', testId: 'passkey-instead' }]}
      />
    </SubSection>
  );
}
