import { jwtVerify, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import { getTranslations } from 'next-intl/server';
import { Alert } from '@/components/Alert';
import { ClaimsTable } from '@/components/ClaimsTable';
import { PageFrame } from '@/components/PageFrame';
import { currentTheme } from '@/app/_lib/theme';
import { TextLink } from '@/components/TextLink';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { DEMO_CLIENT_ID, demoConfig, demoJwks, readDemoSession } from '@/app/api/demo/rp';

/** The demo relying party's only page: sign-in button, or the verified tokens it received. */
export default async function DemoPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const t = await getTranslations({ locale });
  // The demo reaches Foyer over HTTP like any app; if that fails, it says so instead of crashing.
  const rp = await demoConfig().catch(() => undefined);
  const problem = query.error ?? (rp ? undefined : 'discovery_failed');
  const session = await readDemoSession();
  let claims: JWTPayload | undefined;
  let userinfo: Record<string, unknown> | undefined;
  if (rp && session) {
    try {
      ({ payload: claims } = await jwtVerify(session.id_token, demoJwks(rp.base), { issuer: rp.base, audience: DEMO_CLIENT_ID }));
      userinfo = (await oidc.fetchUserInfo(rp.config, session.access_token, String(claims.sub))) as Record<string, unknown>;
    } catch {
      claims = undefined;
    }
  }
  const theme = await currentTheme();
  return (
    <PageFrame theme={theme} locale={locale} path="/demo" heading={t('demo.title')} subheading={t('demo.explain')}>
      {problem ? <Alert tone="error">{t('demo.error', { reason: problem })}</Alert> : null}
      {query.signed_out ? <Alert tone="notice">{t('demo.signedOut')}</Alert> : null}
      {claims ? (
        <>
          <p className="mb-4 font-semibold" data-testid="signed-in-as">
            {t('demo.signedInAs', { name: String(claims['cognito:username'] ?? claims.sub) })}
          </p>
          <h2 className="text-lg font-semibold mb-2">{t('demo.idToken')}</h2>
          <ClaimsTable testId="id-token-claims" claims={claims} labels={{ claim: t('demo.claim'), value: t('demo.value') }} />
          <h2 className="text-lg font-semibold mt-6 mb-2">{t('demo.userinfo')}</h2>
          <ClaimsTable testId="userinfo-claims" claims={userinfo ?? {}} labels={{ claim: t('demo.claim'), value: t('demo.value') }} />
          <p className="mt-6">
            <TextLink href={`/${locale}/account`} testId="manage-account">{t('account.manage')}</TextLink>
          </p>
          <form method="post" action="/api/demo/logout" className="mt-6">
            <input type="hidden" name="lang" value={locale} />
            <button type="submit" data-testid="demo-sign-out" className="w-full border-2 border-line rounded-theme px-4 py-2.5 font-semibold">
              {t('demo.signOut')}
            </button>
          </form>
        </>
      ) : (
        <div className="flex flex-col gap-3">
          <a href={`/api/demo/login?lang=${locale}`} data-testid="demo-sign-in" className="block text-center bg-brand text-brand-ink rounded-theme px-4 py-2.5 font-semibold">
            {t('demo.signIn')}
          </a>
          <a href={`/api/demo/login?lang=${locale}&screen=signup`} data-testid="demo-sign-up" className="block text-center border-2 border-line rounded-theme px-4 py-2.5 font-semibold">
            {t('demo.signUp')}
          </a>
        </div>
      )}
      <p className="mt-6 text-sm">
        <TextLink href={`/${locale}`}>{t('demo.home')}</TextLink>
      </p>
    </PageFrame>
  );
}
