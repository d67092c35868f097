import { getTranslations } from 'next-intl/server';
import { notFound, redirect } from 'next/navigation';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { currentTheme } from '@/app/_lib/theme';
import { flowHref } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { PREVIEW_UID, previewRequest } from '@/app/_lib/preview';
import type { Locale } from '@/i18n/locales';
import { requestInfo } from '@/app/_lib/request';
import { readInteraction } from '@/server/oidc';
import { runtime } from '@/server/runtime-handle';
import { consentAction } from './actions';

const known = ['openid', 'email', 'phone', 'profile', 'address'] as const;

/**
 * The interaction asking for consent, its app and scopes; on the theme editor's preview, a sample
 * app asking for every known scope (no interaction, no CSRF token: its form posts nothing).
 */
async function loadConsent(locale: Locale, uid: string | undefined) {
  if (await previewRequest()) {
    const t = await getTranslations({ locale });
    return { uid: PREVIEW_UID, app: t('preview.appName'), scope: known.join(' '), csrf: '' };
  }
  if (!uid) notFound();
  const rt = await runtime();
  const req = await requestInfo();
  const view = await readInteraction(rt.provider, req.headers, uid);
  if (!view) notFound();
  if (view.prompt !== 'consent') redirect(flowHref(locale, 'login', view.uid));
  const client = await rt.pool.clients.find({ clientId: view.clientId });
  return { uid: view.uid, app: client?.client_name ?? view.clientId, scope: String(view.params.scope ?? 'openid'), csrf: req.csrf };
}

export default async function ConsentPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { uid, app, scope, csrf } = await loadConsent(locale, query.uid);
  const t = await getTranslations({ locale });
  const scopes = scope.split(' ').filter((s): s is (typeof known)[number] => (known as readonly string[]).includes(s));
  const theme = await currentTheme();
  return (
    <PageFrame theme={theme} appName={app} locale={locale} path="/consent" query={{ uid }} heading={t('consent.title', { app })}>
      <p className="mb-3">{t('consent.explain', { app })}</p>
      <ul className="list-disc ps-6 mb-6" data-testid="consent-scopes">
        {scopes.map((s) => (
          <li key={s}>{t(`consent.scopes.${s}`)}</li>
        ))}
      </ul>
      <FlowForm
        testId="consent-form"
        action={consentAction}
        hidden={{ uid, csrf, locale }}
        fields={[]}
        buttons={[
          { label: t('consent.allow'), name: 'intent', value: 'allow', testId: 'allow' },
          { label: t('consent.deny'), name: 'intent', value: 'deny', variant: 'secondary', testId: 'deny' },
        ]}
      />
    </PageFrame>
  );
}
