import { getFormatter, getTranslations } from 'next-intl/server';
import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { currentTheme } from '@/app/_lib/theme';
import { SubSection } from '@/components/SubSection';
import { TextLink } from '@/components/TextLink';
import { loadAccountPage } from '@/app/_lib/account';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { ACCOUNT_CLIENT_ID } from '@/server/pool/account/client';
import { PasskeyCeremony } from '@/components/passkeys/PasskeyCeremony';
import { passkeyTexts } from '@/app/_lib/passkeys';
import {
  addPasskeyAction,
  forgetDeviceAction,
  passkeyOptionsAction,
  removePasskeyAction,
  revokeSignInAction,
  signOutAction,
  unlinkIdentityAction,
} from './actions';
import { factorRow } from './factor-rows';

/** The signed-in user's own page: profile, password, second factors, devices and sessions. */
export default async function AccountPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { rt, user, hidden, data } = await loadAccountPage(locale, '');
  const t = await getTranslations({ locale });
  const format = await getFormatter({ locale });
  const when = (ms: number) => format.dateTime(new Date(ms), { dateStyle: 'medium', timeStyle: 'short' });
  const settings = await rt.pool.settings();
  const security = await data.security();
  const devices = await data.devices();
  const signIns = await data.signIns();
  const passkeys = await data.passkeys();
  const passkeysAllowed = settings.mfa.factors.includes('webauthn');
  const { problems, waiting, needsJavaScript } = await passkeyTexts(locale);
  const identities = await data.identities();
  const appName = async (clientId: string) => (clientId === ACCOUNT_CLIENT_ID ? t('account.appName') : ((await data.clientName(clientId)) ?? clientId));
  const signInRows = await Promise.all(signIns.map(async (s) => ({ ...s, apps: (await Promise.all(s.clients.map(appName))).join(', ') })));
  const notice = query.notice && t.has(`account.notices.${query.notice}` as never) ? t(`account.notices.${query.notice}` as never) : null;
  const row = 'flex items-center justify-between gap-3 py-2 border-b border-line last:border-b-0';
  const theme = await currentTheme();
  return (
    <PageFrame theme={theme} locale={locale} path="/account" heading={t('account.title')} subheading={t('account.signedInAs', { name: user.username })}>
      {notice ? <Alert tone="notice">{notice}</Alert> : null}
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 mb-2" data-testid="profile">
        <dt className="text-muted">{t('account.username')}</dt>
        <dd dir="auto">{user.username}</dd>
        <dt className="text-muted">{t('account.email')}</dt>
        <dd dir="ltr" className="text-start" data-testid="profile-email">
          {user.email ?? t('account.none')} {user.email && !user.emailVerified ? `(${t('account.unverified')})` : ''}
        </dd>
        <dt className="text-muted">{t('account.phone')}</dt>
        <dd dir="ltr" className="text-start">{user.phoneNumber ?? t('account.none')}</dd>
      </dl>
      <ul className="flex flex-col gap-1 text-sm mb-2">
        <li><TextLink href={`/${locale}/account/email`}>{t('account.changeEmail')}</TextLink></li>
        {settings.mfa.factors.includes('sms') || user.phoneNumber ? (
          <li><TextLink href={`/${locale}/account/phone`}>{t('account.changePhone')}</TextLink></li>
        ) : null}
        <li><TextLink href={`/${locale}/account/password`}>{t('account.changePassword')}</TextLink></li>
      </ul>

      {security.mode !== 'OFF' ? (
        <SubSection id="mfa-heading" heading={t('account.mfa.heading')}>
          <p className="text-sm text-muted mb-2">{security.mode === 'REQUIRED' ? t('account.mfa.required') : t('account.mfa.optional')}</p>
          <ul data-testid="factors">
            {security.methods.map((standing) => {
              const Row = factorRow(standing.kind);
              const method = rt.pool.methods[standing.kind];
              return Row && method ? <Row key={standing.kind} method={method} standing={standing} security={security} t={t} locale={locale} hidden={hidden} /> : null;
            })}
          </ul>
        </SubSection>
      ) : null}

      {passkeysAllowed || passkeys.length > 0 ? (
        <SubSection id="passkeys-heading" heading={t('account.passkeys.heading')}>
          <p className="text-sm text-muted mb-2">{t('account.passkeys.explain')}</p>
          {passkeys.length === 0 ? <p className="text-sm text-muted">{t('account.passkeys.none')}</p> : null}
          <ul data-testid="passkeys">
            {passkeys.map((k) => (
              <li key={k.id} className={row} data-testid="passkey">
                <span className="text-sm">
                  <bdi data-testid="passkey-name">{k.name}</bdi> · {k.backedUp ? t('account.passkeys.synced') : t('account.passkeys.device')}
                  <br />
                  <span className="text-muted">
                    {t('account.passkeys.added', { date: when(k.createdAt) })}
                    {k.lastUsedAt ? ` · ${t('account.passkeys.lastUsed', { date: when(k.lastUsedAt) })}` : ''}
                  </span>
                </span>
                <FlowForm testId="remove-passkey-form" action={removePasskeyAction} hidden={{ ...hidden, id: k.id }} fields={[]} buttons={[{ label: t('account.passkeys.remove'), variant: 'secondary', testId: 'remove-passkey' }]} />
              </li>
            ))}
          </ul>
          {passkeysAllowed ? (
            <PasskeyCeremony
              kind="register"
              options={passkeyOptionsAction}
              action={addPasskeyAction}
              hidden={hidden}
              nameField={{ label: t('passkeys.name'), hint: t('passkeys.nameHint'), defaultValue: t('passkeys.defaultName') }}
              label={t('account.passkeys.add')}
              variant="secondary"
              waiting={waiting}
              problems={problems}
              fallback={needsJavaScript}
              testId="add-passkey"
            />
          ) : null}
        </SubSection>
      ) : null}

      {identities.length > 0 ? (
        <SubSection id="identities-heading" heading={t('account.identities.heading')}>
          <p className="text-sm text-muted mb-2">{t('account.identities.explain')}</p>
          <ul data-testid="identities">
            {identities.map((i) => (
              <li key={`${i.providerName}:${i.subject}`} className={row} data-testid="identity" data-provider={i.providerName}>
                <span className="text-sm">
                  <bdi>{i.label}</bdi>
                  <br />
                  <span className="text-muted">
                    {t('account.identities.linked', { date: when(i.linkedAt) })}
                    {i.lastSignInAt ? ` · ${t('account.identities.lastUsed', { date: when(i.lastSignInAt) })}` : ''}
                  </span>
                </span>
                <FlowForm testId="unlink-identity-form" action={unlinkIdentityAction} hidden={{ ...hidden, provider: i.providerName }} fields={[]} buttons={[{ label: t('account.identities.unlink'), variant: 'secondary', testId: 'unlink-identity' }]} />
              </li>
            ))}
          </ul>
        </SubSection>
      ) : null}

      {settings.mfa.remember_device_days > 0 || devices.length > 0 ? (
        <SubSection id="devices-heading" heading={t('account.devices.heading')}>
          {devices.length === 0 ? <p className="text-sm text-muted">{t('account.devices.none')}</p> : null}
          <ul data-testid="devices">
            {devices.map((d) => (
              <li key={d.id} className={row} data-testid="device">
                <span className="text-sm">
                  {d.label ?? t('account.devices.unnamed')}
                  <br />
                  <span className="text-muted">{t('account.devices.since', { date: when(d.createdAt) })}</span>
                </span>
                <FlowForm testId="forget-device-form" action={forgetDeviceAction} hidden={{ ...hidden, id: d.id }} fields={[]} buttons={[{ label: t('account.devices.forget'), variant: 'secondary', testId: 'forget-device' }]} />
              </li>
            ))}
          </ul>
        </SubSection>
      ) : null}

      <SubSection id="sessions-heading" heading={t('account.sessions.heading')}>
        <ul data-testid="sessions">
          {signInRows.map((s) => (
            <li key={s.handle} className={row} data-testid="session" data-current={s.current ? 'true' : 'false'}>
              <span className="text-sm">
                {s.current ? <strong>{t('account.sessions.current')}</strong> : t('account.sessions.other')}
                <br />
                <span className="text-muted">{t('account.sessions.since', { date: when(s.signedInAt), apps: s.apps })}</span>
              </span>
              {s.current ? null : (
                <FlowForm testId="revoke-session-form" action={revokeSignInAction} hidden={{ ...hidden, id: s.handle }} fields={[]} buttons={[{ label: t('account.sessions.revoke'), variant: 'secondary', testId: 'revoke-session' }]} />
              )}
            </li>
          ))}
        </ul>
      </SubSection>

      <div className="mt-6">
        <FlowForm testId="sign-out-form" action={signOutAction} hidden={hidden} fields={[]} buttons={[{ label: t('account.signOut'), variant: 'secondary', testId: 'sign-out' }]} />
      </div>
    </PageFrame>
  );
}
