import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { Divider, ProviderButtons } from '@/components/ProviderButtons';
import { TextLink } from '@/components/TextLink';
import { idpStartHref, providerButtons } from '@/app/_lib/federation';
import { flowHref, loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { COGNITO } from '@/server/config/identity-providers';
import { ourCookies } from '@/app/_lib/cookies';
import { chosenMethod, formMethods } from '@/app/_lib/sign-in-methods';
import { passwordlessStartAction, signInAction } from './actions';
import { PasskeySignIn } from './PasskeySignIn';

const param = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);

export default async function LoginPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { rt, view, client, appName, csrf, settings, theme } = await loadFlowPage(locale, query.uid, 'first');
  const t = await getTranslations({ locale });
  const hint = param(view.params.login_hint, 254);

  // Cognito's identity_provider / idp_identifier skip this page: once per sign-in, so a refused
  // or failed provider sign-in comes back here with the other options.
  const identityProvider = param(view.params.identity_provider, 32);
  const idpIdentifier = param(view.params.idp_identifier, 254);
  if ((idpIdentifier || (identityProvider && identityProvider !== COGNITO)) && !(await rt.federation.started(view.uid))) {
    const target = identityProvider && identityProvider !== COGNITO ? { provider: identityProvider } : { idp_identifier: idpIdentifier! };
    await rt.federation.noteAutomaticStart(view.uid, identityProvider ?? idpIdentifier!);
    redirect(idpStartHref(view.uid, locale, target, hint));
  }

  // An IdP-initiated SAML sign-in parked its identity in this browser and sent it to the app,
  // whose sign-in this is: it continues with that identity (once).
  if ((await ourCookies()).has('parked') && !(await rt.federation.started(view.uid))) {
    await rt.federation.noteAutomaticStart(view.uid, 'parked');
    redirect(idpStartHref(view.uid, locale, { parked: '1' }));
  }

  const options = client ? await rt.federation.optionsFor(client) : { cognito: true, providers: [] };
  const buttons = providerButtons(options.providers, view.uid, locale, (provider) => t('federation.login.continueWith', { provider }));
  // Domain search: an e-mail whose domain a provider claims goes there on the first submit.
  const routesByDomain = options.providers.some((p) => p.idp_identifiers.length > 0);
  const emailOnly = !settings.sign_in_aliases.includes('username');
  const passkeys = settings.mfa.factors.includes('webauthn') && settings.sign_in_methods.includes('passkey');
  // The pool's methods, the one asked for (or last used here) shown as the form, the others as links.
  const method = await chosenMethod(settings.sign_in_methods, query.method);
  const otherMethods = formMethods(settings.sign_in_methods).filter((m) => m !== method);
  const identifierField = {
    name: 'identifier',
    label: emailOnly ? t('login.identifierEmailOnly') : t('login.identifier'),
    type: emailOnly ? 'email' : 'text',
    autoComplete: passkeys ? 'username webauthn' : 'username',
    required: true,
    maxLength: 254,
    defaultValue: hint,
    autoFocus: !hint && buttons.length === 0,
    dir: 'ltr' as const,
  };
  return (
    <PageFrame theme={theme} appName={appName} locale={locale} path="/login" query={{ uid: view.uid }} heading={t('login.title')} subheading={t('login.subtitle', { app: appName })}>
      {query.notice === 'password_changed' ? <Alert tone="notice">{t('login.passwordChanged')}</Alert> : null}
      {buttons.length > 0 ? (
        <nav aria-label={t('federation.login.providers')}>
          <ProviderButtons buttons={buttons} description={t('federation.login.corporate')} testId="identity-providers" />
        </nav>
      ) : null}
      {buttons.length > 0 && (options.cognito || routesByDomain) ? <Divider label={t('federation.login.or')} /> : null}
      {options.cognito && method && method !== 'password' ? (
        <FlowForm
          key={method}
          testId="passwordless-form"
          action={passwordlessStartAction}
          hidden={{ uid: view.uid, csrf, locale, method }}
          fields={[{ ...identifierField, autoFocus: buttons.length === 0 }]}
          buttons={[{ label: t(`login.send.${method}`), testId: 'send-sign-in' }]}
        />
      ) : options.cognito && method === 'password' ? (
        <FlowForm
          key={method}
          testId="login-form"
          action={signInAction}
          hidden={{ uid: view.uid, csrf, locale }}
          fields={[
            identifierField,
            {
              name: 'password',
              label: t('login.password'),
              type: 'password',
              autoComplete: 'current-password',
              // With domain search the first submit may carry only a work e-mail.
              required: !routesByDomain,
              hint: routesByDomain ? t('federation.login.passwordHint') : undefined,
              maxLength: 1024,
              autoFocus: !!hint,
            },
          ]}
          buttons={[{ label: t('login.submit'), testId: 'sign-in' }]}
        />
      ) : routesByDomain ? (
        <FlowForm
          testId="work-email-form"
          action={signInAction}
          hidden={{ uid: view.uid, csrf, locale }}
          fields={[
            { name: 'identifier', label: t('federation.login.workEmail'), type: 'email', autoComplete: 'email', required: true, maxLength: 254, defaultValue: hint, dir: 'ltr' },
          ]}
          buttons={[{ label: t('federation.login.workEmailSubmit'), testId: 'route-email' }]}
        />
      ) : null}
      {passkeys && options.cognito ? <PasskeySignIn locale={locale} uid={view.uid} csrf={csrf} /> : null}
      {options.cognito && otherMethods.length > 0 ? (
        <nav aria-label={t('login.otherWays')} className="mt-6">
          <ul className="flex flex-col gap-2 text-sm">
            {otherMethods.map((m) => (
              <li key={m}>
                <TextLink href={flowHref(locale, 'login', view.uid, `&method=${m}`)} testId={`use-${m}`}>
                  {t(`login.use.${m}`)}
                </TextLink>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {options.cognito ? (
        <div className="mt-6 flex flex-col gap-2 text-sm">
          {settings.sign_in_methods.includes('password') ? (
            <TextLink href={flowHref(locale, 'forgot-password', view.uid)} testId="forgot-link">
              {t('login.forgot')}
            </TextLink>
          ) : null}
          {settings.sign_up.mode === 'open' ? (
            <p>
              {t('login.noAccount')}{' '}
              <TextLink href={flowHref(locale, 'signup', view.uid)} testId="signup-link">
                {t('login.signUp')}
              </TextLink>
            </p>
          ) : null}
        </div>
      ) : null}
    </PageFrame>
  );
}
