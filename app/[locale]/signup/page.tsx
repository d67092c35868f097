import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { cognitoAllowed } from '@/app/_lib/federation';
import { Alert } from '@/components/Alert';
import { FlowForm, type FieldSpec } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { TextLink } from '@/components/TextLink';
import { flowHref, loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { signUpAction } from './actions';
import { customFields } from './custom-fields';

export default async function SignUpPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { rt, view, appName, csrf, settings, theme } = await loadFlowPage(locale, query.uid, 'first');
  // An app that signs in only through outside providers has no passwords here.
  if (!(await cognitoAllowed(rt, view.clientId))) redirect(flowHref(locale, 'login', view.uid));
  const t = await getTranslations({ locale });
  const required = new Set(settings.required_attributes);
  const fields: FieldSpec[] = [];
  if (settings.sign_in_aliases.includes('username')) {
    fields.push({ name: 'username', label: t('signup.username'), type: 'text', autoComplete: 'username', required: true, maxLength: 128, autoFocus: true, dir: 'ltr' });
  }
  if (required.has('email') || settings.sign_in_aliases.includes('email')) {
    fields.push({ name: 'email', label: t('signup.email'), type: 'email', autoComplete: 'email', required: true, maxLength: 254, dir: 'ltr' });
  }
  if (required.has('phone_number')) {
    fields.push({ name: 'phone_number', label: t('signup.phone'), type: 'tel', autoComplete: 'tel', required: true, maxLength: 32, hint: t('signup.phoneHint'), dir: 'ltr' });
  }
  for (const f of ['name', 'given_name', 'family_name'] as const) {
    if (required.has(f)) fields.push({ name: f, label: t(`signup.${f}`), type: 'text', autoComplete: f === 'name' ? 'name' : f === 'given_name' ? 'given-name' : 'family-name', required: true, maxLength: 256 });
  }
  fields.push(...customFields(settings.custom_attributes, locale, t));
  fields.push({
    name: 'password',
    label: t('signup.password'),
    type: 'password',
    autoComplete: 'new-password',
    required: true,
    maxLength: settings.password_policy.max_length,
    hint: t('signup.passwordHint', { min: settings.password_policy.min_length }),
  });
  if (settings.sign_up.terms) {
    const terms = theme.links.terms?.[locale] ?? theme.links.terms?.default;
    fields.push({ name: 'terms', label: t('signup.acceptTerms'), type: 'checkbox', autoComplete: 'off', required: true, ...(terms ? { link: { href: terms, text: t('signup.readTerms') } } : {}) });
  }
  return (
    <PageFrame theme={theme} appName={appName} locale={locale} path="/signup" query={{ uid: view.uid }} heading={t('signup.title')} subheading={t('signup.subtitle', { app: appName })}>
      {settings.sign_up.mode === 'open' ? (
        <FlowForm testId="signup-form" action={signUpAction} hidden={{ uid: view.uid, csrf, locale }} fields={fields} buttons={[{ label: t('signup.submit'), testId: 'sign-up' }]} />
      ) : (
        <Alert tone="error">{t('errors.sign_up_disabled')}</Alert>
      )}
      <p className="mt-6 text-sm">
        {t('signup.haveAccount')} <TextLink href={flowHref(locale, 'login', view.uid)}>{t('signup.signIn')}</TextLink>
      </p>
    </PageFrame>
  );
}
