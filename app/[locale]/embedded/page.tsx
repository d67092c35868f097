import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { StorageOffers } from '@/components/embedded/StorageOffers';
import { PageFrame } from '@/components/PageFrame';
import { TextLink } from '@/components/TextLink';
import { currentTheme } from '@/app/_lib/theme';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { runtime } from '@/server/runtime-handle';

/** The authorization request's own parameters, asked again on a full page (default response mode, no prompt). */
const KEEP = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'ui_locales', 'lang', 'login_hint'];

/** The origin `web_message` answers go to (the redirect URI's), or none for another response mode. */
function webMessageOrigin(params: Record<string, unknown>): string | undefined {
  if (params.response_mode !== 'web_message' || typeof params.redirect_uri !== 'string') return undefined;
  return URL.canParse(params.redirect_uri) ? new URL(params.redirect_uri).origin : undefined;
}

/**
 * A sign-in inside an app's iframe whose browser withheld the cookies it needs (the interaction's
 * was never stored): says so, and offers the same request on a full page, where cookies are
 * first-party; with JavaScript also in a popup, or in the frame again once the Storage Access API
 * grants the cookies. Only reached from a frame (see loadFlowPage); framable as the client's sign-in is.
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
  // In the frame again: the app's own response mode (its `web_message` listener waits there).
  const again = new URLSearchParams(params);
  if (typeof interaction.params.response_mode === 'string') again.set('response_mode', interaction.params.response_mode);
  const t = await getTranslations({ locale });
  return (
    <PageFrame theme={await currentTheme()} locale={locale} path="/embedded" heading={t('embedded.title')}>
      <p data-testid="storage-blocked">{t('embedded.body')}</p>
      <p>
        <TextLink href={`/oauth2/authorize?${params.toString()}`} target="_top" testId="full-page">
          {t('embedded.fullPage')}
        </TextLink>
      </p>
      <StorageOffers
        again={`/oauth2/authorize?${again.toString()}`}
        signIn={`/oauth2/authorize?${params.toString()}`}
        appOrigin={webMessageOrigin(interaction.params)}
        text={{ allowStorage: t('embedded.allowStorage'), storageRefused: t('embedded.storageRefused'), popup: t('embedded.popup'), popupBlocked: t('embedded.popupBlocked') }}
      />
    </PageFrame>
  );
}
