import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { PageFrame } from '@/components/PageFrame';
import { TextLink } from '@/components/TextLink';
import { currentTheme } from '@/app/_lib/theme';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { runtime } from '@/server/runtime-handle';

/** The authorization request's own parameters, asked again on a full page (default response mode, no prompt). */
const KEEP = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'ui_locales', 'lang', 'login_hint'];

/**
 * A sign-in inside an app's iframe whose browser withheld the cookies it needs (the interaction's
 * was never stored): says so, and offers the same request on a full page, where cookies are
 * first-party. Only reached from a frame (see loadFlowPage); framable as the client's sign-in is.
 */
export default async function EmbeddedBlockedPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const rt = await runtime();
  const interaction = query.uid ? await rt.provider.Interaction.find(query.uid) : undefined;
  if (!interaction) notFound();
  const params = new URLSearchParams();
  for (const k of KEEP) {
    const v = interaction.params[k];
    if (typeof v === 'string') params.set(k, v);
  }
  const t = await getTranslations({ locale });
  return (
    <PageFrame theme={await currentTheme()} locale={locale} path="/embedded" heading={t('embedded.title')}>
      <p data-testid="storage-blocked">{t('embedded.body')}</p>
      <p>
        <TextLink href={`/oauth2/authorize?${params.toString()}`} target="_top" testId="full-page">
          {t('embedded.fullPage')}
        </TextLink>
      </p>
    </PageFrame>
  );
}
