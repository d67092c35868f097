import { getTranslations } from 'next-intl/server';
import { PageFrame } from '@/components/PageFrame';
import { PasskeyCeremony } from '@/components/passkeys/PasskeyCeremony';
import { loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { passkeyTexts } from '@/app/_lib/passkeys';
import { EnrolmentOffers } from '../enrolment-offers';
import { passkeyEnrolAction, passkeyEnrolOptionsAction } from './actions';

/** Passkey enrolment during sign-in; the other methods the pool allows stay one click away. */
export default async function PasskeySetupPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { rt, view, csrf, settings, appName, theme } = await loadFlowPage(locale, query.uid, 'passkey-setup');
  const t = await getTranslations({ locale, namespace: 'passkeys' });
  const { problems, waiting, needsJavaScript } = await passkeyTexts(locale);
  const hidden = { uid: view.uid, csrf, locale };
  return (
    <PageFrame theme={theme} appName={appName} locale={locale} path="/mfa/passkey" query={{ uid: view.uid }} heading={t('setupTitle')} subheading={t('setupExplain')}>
      <PasskeyCeremony
        kind="register"
        options={passkeyEnrolOptionsAction}
        action={passkeyEnrolAction}
        hidden={hidden}
        nameField={{ label: t('name'), hint: t('nameHint'), defaultValue: t('defaultName') }}
        label={t('create')}
        waiting={waiting}
        problems={problems}
        fallback={needsJavaScript}
        testId="create-passkey"
      />
      <EnrolmentOffers locale={locale} uid={view.uid} csrf={csrf} from="passkey-setup" current="webauthn" methods={rt.pool.methods} mfa={settings.mfa} />
    </PageFrame>
  );
}
