import { getTranslations } from 'next-intl/server';
import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { TextLink } from '@/components/TextLink';
import { flowHref } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { PREVIEW_UID, previewRequest } from '@/app/_lib/preview';
import { requestInfo } from '@/app/_lib/request';
import { currentTheme } from '@/app/_lib/theme';
import { readInteraction } from '@/server/oidc';
import { runtime } from '@/server/runtime-handle';
import { magicLinkAction } from '../passwordless/actions';

/**
 * Where a mailed sign-in link lands. Opening it does nothing by itself (mail scanners open links):
 * in the browser whose sign-in asked for it, at that attempt, a button finishes the sign-in; in
 * any other browser the page says to go back, and nothing is offered that could sign this one in.
 * On the theme editor's preview: that button, its form inert, and no link looked up.
 */
export default async function MagicLinkPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const t = await getTranslations({ locale });
  const theme = await currentTheme();
  if (await previewRequest()) {
    return (
      <PageFrame theme={theme} locale={locale} path="/login/link" heading={t('passwordless.linkHeading')} subheading={t('passwordless.linkExplain')}>
        <LinkForm hidden={{ uid: PREVIEW_UID, csrf: '', locale, link: '', token: '' }} label={t('passwordless.linkSubmit')} />
      </PageFrame>
    );
  }
  const rt = await runtime();
  const { uid, link: id, token } = query;
  const found = uid && id && token ? await rt.pool.passwordless.inspectLink({ id, token }) : undefined;
  const req = await requestInfo();
  const view = found && found.uid === uid ? await readInteraction(rt.provider, req.headers, found.uid) : undefined;
  const step = view ? await rt.pool.flow.current({ uid: view.uid }) : undefined;
  const here = !!found?.usable && step?.step === 'passwordless' && step.attempt === found.attempt;
  const frame = { theme, locale, path: '/login/link', query: { uid, link: id, token } };

  if (found?.usable && found.uid === uid && !view) {
    return (
      <PageFrame {...frame} heading={t('passwordless.elsewhereHeading')}>
        <p data-testid="link-elsewhere">{t('passwordless.elsewhere')}</p>
      </PageFrame>
    );
  }
  if (!here || !view) {
    return (
      <PageFrame {...frame} heading={t('passwordless.invalidHeading')}>
        <Alert tone="error" testId="link-invalid">
          {t('errors.link_invalid')}
        </Alert>
        {view ? (
          <p className="mt-6 text-sm">
            <TextLink back href={flowHref(locale, 'login', view.uid)}>{t('forgot.backToSignIn')}</TextLink>
          </p>
        ) : null}
      </PageFrame>
    );
  }
  return (
    <PageFrame {...frame} heading={t('passwordless.linkHeading')} subheading={t('passwordless.linkExplain')}>
      <LinkForm hidden={{ uid: view.uid, csrf: req.csrf ?? '', locale, link: id!, token: token! }} label={t('passwordless.linkSubmit')} />
    </PageFrame>
  );
}

function LinkForm({ hidden, label }: { hidden: Record<string, string>; label: string }) {
  return <FlowForm testId="magic-link-form" action={magicLinkAction} hidden={hidden} fields={[]} buttons={[{ label, testId: 'use-link' }]} />;
}
