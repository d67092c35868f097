import { getTranslations } from 'next-intl/server';
import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { TextLink } from '@/components/TextLink';
import { flowHref, loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { signInAction } from './actions';
import { PasskeySignIn } from './PasskeySignIn';

export default async function LoginPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { view, appName, csrf, settings } = await loadFlowPage(locale, query.uid, 'first');
  const t = await getTranslations({ locale });
  const emailOnly = !settings.sign_in_aliases.includes('username');
  const hint = typeof view.params.login_hint === 'string' ? view.params.login_hint.slice(0, 254) : undefined;
  const passkeys = settings.mfa.factors.includes('webauthn');
  return (
    <PageFrame locale={locale} path="/login" query={{ uid: view.uid }} heading={t('login.title')} subheading={t('login.subtitle', { app: appName })}>
      {query.notice === 'password_changed' ? <Alert tone="notice">{t('login.passwordChanged')}</Alert> : null}
      <FlowForm
        testId="login-form"
        action={signInAction}
        hidden={{ uid: view.uid, csrf, locale }}
        fields={[
          {
            name: 'identifier',
            label: emailOnly ? t('login.identifierEmailOnly') : t('login.identifier'),
            type: emailOnly ? 'email' : 'text',
            autoComplete: passkeys ? 'username webauthn' : 'username',
            required: true,
            maxLength: 254,
            defaultValue: hint,
            autoFocus: !hint,
            dir: 'ltr',
          },
          { name: 'password', label: t('login.password'), type: 'password', autoComplete: 'current-password', required: true, maxLength: 1024, autoFocus: !!hint },
        ]}
        buttons={[{ label: t('login.submit'), testId: 'sign-in' }]}
      />
      {passkeys ? <PasskeySignIn locale={locale} uid={view.uid} csrf={csrf} /> : null}
      <div className="mt-6 flex flex-col gap-2 text-sm">
        <TextLink href={flowHref(locale, 'forgot-password', view.uid)} testId="forgot-link">
          {t('login.forgot')}
        </TextLink>
        {settings.self_sign_up ? (
          <p>
            {t('login.noAccount')}{' '}
            <TextLink href={flowHref(locale, 'signup', view.uid)} testId="signup-link">
              {t('login.signUp')}
            </TextLink>
          </p>
        ) : null}
      </div>
    </PageFrame>
  );
}
