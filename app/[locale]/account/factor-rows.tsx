import type { ReactNode } from 'react';
import { FlowForm } from '@/components/FlowForm';
import { TextLink } from '@/components/TextLink';
import type { Locale } from '@/i18n/locales';
import type { Translator } from '@/app/_lib/translator';
import { isMethodKind, type Method, type MethodKind, type MethodStanding, type SecurityOverview } from '@/server/pool';
import { codesOptInAction, regenerateCodesAction, removeMethodAction } from './actions';

export interface FactorRowProps {
  method: Method;
  standing: MethodStanding;
  security: SecurityOverview;
  t: Translator;
  locale: Locale;
  hidden: Record<string, string>;
}

const row = 'flex items-center justify-between gap-3 py-2 border-b border-line last:border-b-0';

const onOff = ({ t, standing }: FactorRowProps) => (standing.on ? t('account.mfa.on') : t('account.mfa.off'));

function RemoveForm({ t, hidden, standing }: FactorRowProps) {
  const { kind } = standing;
  return (
    <FlowForm testId={`remove-${kind}-form`} action={removeMethodAction} hidden={{ ...hidden, kind }} fields={[]} buttons={[{ label: t('account.mfa.remove'), variant: 'secondary', testId: `remove-${kind}` }]} />
  );
}

/** A method the page has no row of its own for (one a deployment added): its name, on or off, and removable if its entry says how. */
export function PlainRow(p: FactorRowProps) {
  return (
    <li className={row} data-testid={`factor-${p.standing.kind}`}>
      <span>
        {p.t(`methods.${p.method.messages}.label`)}: <bdi>{onOff(p)}</bdi>
      </span>
      {p.standing.on && p.method.remove ? <RemoveForm {...p} /> : null}
    </li>
  );
}

function TotpRow(p: FactorRowProps) {
  const { t, locale, standing } = p;
  return (
    <li className={row} data-testid="factor-totp">
      <span>{t('methods.totp.factor')}: {onOff(p)}</span>
      {standing.on ? (
        <RemoveForm {...p} />
      ) : (
        <TextLink href={`/${locale}/account/totp`}>{t('account.mfa.setUp')}</TextLink>
      )}
    </li>
  );
}

/** Codes by e-mail or text message: on or off, switchable where the pool makes them optional. */
function CodesRow(p: FactorRowProps & { kind: 'email' | 'sms' }) {
  const { t, hidden, standing, security, kind } = p;
  return (
    <li className={row} data-testid={`factor-${kind}`}>
      <span>
        {t(`methods.${kind}.factor`, { address: standing.address ?? '' })}: <bdi>{onOff(p)}</bdi>
      </span>
      {security.mode === 'OPTIONAL' ? (
        <FlowForm
          testId={`${kind}-codes-form`}
          action={codesOptInAction}
          hidden={{ ...hidden, kind, on: standing.on ? '0' : '1' }}
          fields={[]}
          buttons={[{ label: standing.on ? t('account.mfa.turnOff') : t('account.mfa.turnOn'), variant: 'secondary', testId: `toggle-${kind}-codes` }]}
        />
      ) : null}
    </li>
  );
}

function RecoveryRow({ t, hidden, standing }: FactorRowProps) {
  return (
    <li className={row} data-testid="recovery-codes-status">
      <span>{t('account.mfa.recoveryLeft', { count: standing.count ?? 0 })}</span>
      <FlowForm testId="regenerate-codes-form" action={regenerateCodesAction} hidden={hidden} fields={[]} buttons={[{ label: t('account.mfa.regenerate'), variant: 'secondary', testId: 'regenerate-codes' }]} />
    </li>
  );
}

/**
 * The account page's row for each method, by kind (the UI half of a method; its domain half is in
 * server/pool/methods). Null: shown elsewhere on the page (the password, passkeys' own section).
 */
export const factorRows: Record<MethodKind, ((p: FactorRowProps) => ReactNode) | null> = {
  password: null,
  totp: TotpRow,
  email: (p) => <CodesRow {...p} kind="email" />,
  sms: (p) => <CodesRow {...p} kind="sms" />,
  webauthn: null,
  recovery: RecoveryRow,
  magic_link: null,
};

/** The row for a method of the pool's registry: its own, or the plain one for a kind this page does not know. */
export function factorRow(kind: string): ((p: FactorRowProps) => ReactNode) | null {
  return isMethodKind(kind) ? factorRows[kind] : PlainRow;
}
