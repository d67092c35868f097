import QRCode from 'qrcode';
import { getTranslations } from 'next-intl/server';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { mfaSetupAction } from '../actions';
import { PasskeyInstead } from '../passkey/PasskeyInstead';

/** TOTP enrolment: a QR code drawn on the server (no JavaScript needed) and the secret as text. */
export default async function MfaSetupPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { rt, view, step, csrf, settings } = await loadFlowPage(locale, query.uid, 'mfa-setup');
  const t = await getTranslations({ locale });
  const user = await rt.pool.users.get(step.userId);
  const uri = await rt.pool.mfa.totpUri(step.secret, user?.email ?? user?.username ?? step.userId);
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  const grouped = step.secret.match(/.{1,4}/g)?.join(' ') ?? step.secret;
  return (
    <PageFrame locale={locale} path="/mfa/setup" query={{ uid: view.uid }} heading={t('mfaSetup.title')} subheading={t('mfaSetup.explain')}>
      <ol className="list-decimal ps-6 flex flex-col gap-3 mb-6">
        <li>
          {t('mfaSetup.scan')}
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URI drawn on the server */}
          <img
            src={`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`}
            alt={t('mfaSetup.qrAlt')}
            width={192}
            height={192}
            className="mt-3 bg-white p-2 rounded-theme"
            data-testid="totp-qr"
          />
        </li>
        <li>
          {t('mfaSetup.manual')}
          <code dir="ltr" className="block mt-2 font-mono text-lg tracking-wider break-all" data-testid="totp-secret">
            {grouped}
          </code>
        </li>
        <li>{t('mfaSetup.enterCode')}</li>
      </ol>
      <FlowForm
        testId="mfa-setup-form"
        action={mfaSetupAction}
        hidden={{ uid: view.uid, csrf, locale }}
        fields={[{ name: 'code', label: t('mfa.code'), type: 'text', inputMode: 'numeric', autoComplete: 'one-time-code', required: true, maxLength: 12, dir: 'ltr' }]}
        buttons={[{ label: t('mfaSetup.submit'), testId: 'verify-code' }]}
      />
      {settings.mfa.factors.includes('webauthn') ? <PasskeyInstead locale={locale} uid={view.uid} csrf={csrf} /> : null}
    </PageFrame>
  );
}
