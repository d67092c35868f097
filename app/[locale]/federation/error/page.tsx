import { getTranslations } from 'next-intl/server';
import { PageFrame } from '@/components/PageFrame';
import { currentTheme } from '@/app/_lib/theme';
import { TextLink } from '@/components/TextLink';
import { flowHref } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { PREVIEW_UID, previewRequest } from '@/app/_lib/preview';
import { requestInfo } from '@/app/_lib/request';
import { isFailureCode, isSamlErrorCode } from '@/server/federation/errors';
import { readInteraction } from '@/server/oidc';
import { runtime } from '@/server/runtime-handle';

/**
 * A federated sign-in that failed (rendered with its 4xx by server/federation/http.ts): what
 * happened, and the way back to the sign-in when it is still going. On the theme editor's preview,
 * the sign-in is taken as still going (its link leads nowhere real) and no interaction is read.
 */
export default async function FederationErrorPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const t = await getTranslations({ locale });
  const code = isFailureCode(query.code) ? query.code : 'provider_error';
  // SAML's own codes keep their messages under `saml.errors` (server/federation/saml/errors.ts).
  const message = isSamlErrorCode(code) ? t(`saml.errors.${code}`) : t(`federation.errors.${code}`);
  let back: string | undefined;
  if (await previewRequest()) back = flowHref(locale, 'login', PREVIEW_UID);
  else if (query.uid) {
    const rt = await runtime();
    const view = await readInteraction(rt.provider, (await requestInfo()).headers, query.uid);
    if (view) back = flowHref(locale, 'login', view.uid);
  }
  const theme = await currentTheme();
  return (
    <PageFrame theme={theme} locale={locale} path="/federation/error" query={{ code: query.code, uid: query.uid }} heading={t('federation.errors.title')}>
      <p role="alert" data-testid="federation-error" data-code={code} className="mb-6">
        {message}
      </p>
      <TextLink href={back ?? `/${locale}`} testId="federation-error-back">
        {back ? t('federation.errors.back') : t('federation.errors.home')}
      </TextLink>
    </PageFrame>
  );
}
