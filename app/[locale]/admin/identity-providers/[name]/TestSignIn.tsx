import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import type { ConsoleT } from '@/i18n/console';
import type { TestResult } from '@/server/federation';
import { Panel } from '../../_frame/ConsoleFrame';
import { cell } from '../../_frame/table';
import { testSignInAction } from '../actions';

/**
 * The "test sign-in" panel of a provider's page: the button, and the result of the last test when
 * the provider's answer brought the admin back here (`?test=<handle>`; `result` undefined when that
 * handle is expired or another session's, null when there is none).
 */
export function TestSignIn({ t, hidden, result }: { t: ConsoleT; hidden: Record<string, string>; result: TestResult | undefined | null }) {
  return (
    <Panel id="test-sign-in" heading={t('providers.test.heading')}>
      <p className="text-sm text-muted mb-3">{t('providers.test.explain')}</p>
      {result === undefined ? <Alert tone="error" testId="test-result-gone">{t('providers.test.gone')}</Alert> : null}
      {result && !result.ok ? (
        <Alert tone="error" testId="test-result-failed">
          {t('providers.test.failed', { provider: result.provider, reason: t(`providers.testFailures.${result.code}`) })}
        </Alert>
      ) : null}
      {result?.ok ? <Succeeded t={t} result={result} /> : null}
      <FlowForm testId="test-sign-in-form" action={testSignInAction} hidden={hidden} fields={[]} buttons={[{ label: t('providers.test.start'), testId: 'test-sign-in' }]} />
    </Panel>
  );
}

function Succeeded({ t, result }: { t: ConsoleT; result: Extract<TestResult, { ok: true }> }) {
  const { signIn } = result;
  const outcome =
    signIn.outcome === 'linked'
      ? t(signIn.enabled ? 'providers.test.outcome.linked' : 'providers.test.outcome.linkedDisabled', { username: signIn.username })
      : t(`providers.test.outcome.${signIn.outcome}`, { username: signIn.username });
  return (
    <div data-testid="test-result" className="mb-4">
      <Alert tone="notice" testId="test-result-ok">{t('providers.test.succeeded', { provider: result.provider })}</Alert>
      <dl className="text-sm mb-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="font-medium">{t('providers.test.subject')}</dt>
        <dd data-testid="test-subject" dir="ltr" className="break-all"><bdi>{result.subject}</bdi></dd>
        <dt className="font-medium">{t('providers.test.issuer')}</dt>
        <dd dir="ltr" className="break-all"><bdi>{result.issuer ?? t('providers.test.noIssuer')}</bdi></dd>
      </dl>
      <p className="text-sm mb-3" data-testid="test-outcome">{outcome}</p>
      <h3 className="font-medium mb-2">{t('providers.test.mappedHeading')}</h3>
      <div className="overflow-x-auto mb-3">
        <table className="w-full text-sm" data-testid="test-mapped">
          <thead>
            <tr>
              <th scope="col" className={cell}>{t('providers.test.attribute')}</th>
              <th scope="col" className={cell}>{t('providers.test.claim')}</th>
              <th scope="col" className={cell}>{t('providers.test.value')}</th>
            </tr>
          </thead>
          <tbody>
            {result.mapped.map((m) => (
              <tr key={m.attribute} data-testid="test-mapped-row" data-attribute={m.attribute}>
                <th scope="row" className={`${cell} font-normal`}><bdi>{m.attribute}</bdi></th>
                <td className={cell}><bdi>{m.claim}</bdi></td>
                <td className={`${cell} break-all`}>{m.value === null ? <span className="text-muted">{t('providers.test.noValue')}</span> : <bdi>{m.value}</bdi>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 className="font-medium mb-2">{t('providers.test.claimsHeading')}</h3>
      {result.claims.length === 0 ? (
        <p className="text-sm text-muted">{t('providers.test.noClaims')}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="test-claims">
            <thead>
              <tr>
                <th scope="col" className={cell}>{t('providers.test.claim')}</th>
                <th scope="col" className={cell}>{t('providers.test.value')}</th>
              </tr>
            </thead>
            <tbody>
              {result.claims.map(([name, value]) => (
                <tr key={name} data-testid="test-claim-row" data-claim={name}>
                  <th scope="row" className={`${cell} font-normal`}><bdi>{name}</bdi></th>
                  <td className={`${cell} break-all`}><bdi>{value}</bdi></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
