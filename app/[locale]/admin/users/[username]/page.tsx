import { notFound } from 'next/navigation';
import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg, segmentParam } from '@/app/_lib/console';
import { isLocale } from '@/i18n/locales';
import type { UserRecord } from '@/server/pool';
import { ConsoleFrame, Panel } from '../../_frame/ConsoleFrame';
import { ConfirmStep } from '../../_frame/ConfirmStep';
import { setAttributeAction, setPasswordAction, userOpAction } from './actions';
import { isUserOp, type UserOp } from './user-ops';

type Items<T> = { items: T[] };

interface Props {
  params: Promise<{ locale: string; username: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** One user: attributes, groups, factors, sessions, identities, events, and what an admin may do to them. */
export default async function ConsoleUserPage(props: Props) {
  const { locale, username: raw } = await props.params;
  if (!isLocale(locale)) notFound();
  const username = segmentParam(raw);
  const path = `/users/${seg(username)}`;
  const ctx = await loadConsolePage(locale, path);
  const { t } = ctx;
  const query = await props.searchParams;
  const got = await callAdmin(ctx, { method: 'GET', path });
  if (!got.ok) notFound();
  const user = got.body as UserRecord;
  const etag = got.etag ?? '';
  const list = async <T,>(sub: string) => {
    const r = await callAdmin(ctx, { method: 'GET', path: `${path}${sub}` });
    return r.ok ? (r.body as Items<T>).items : [];
  };
  const factors = await list<{ kind: string; name?: string; created_at: number }>('/factors');
  const sessions = await list<{ signed_in_at?: number; clients: string[] }>('/sessions');
  const identities = await list<{ provider: string; subject: string }>('/identities');
  const events = await list<{ id: number; type: string; at: number; ip: string | null }>('/events?limit=20');
  const invitation = await callAdmin(ctx, { method: 'GET', path: `${path}/invitation` });
  const invitationPending = invitation.ok && (invitation.body as { pending: boolean }).pending;
  const when = (ms: number) => new Intl.DateTimeFormat(locale === 'ar' ? 'ar' : 'en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(ms));
  const hidden = { ...ctx.hidden, username, etag };
  const here = `/${locale}/admin${path}`;
  const confirm = typeof query.confirm === 'string' && isUserOp(query.confirm) ? query.confirm : undefined;
  const notice = typeof query.notice === 'string' && t.has(`user.notices.${query.notice}` as never) ? t(`user.notices.${query.notice}` as never) : null;
  const questions: Partial<Record<UserOp, string>> = {
    disable: t('user.confirmDisable', { name: username }),
    delete: t('user.confirmDelete', { name: username }),
    'sign-out': t('user.confirmSignOut', { name: username }),
    'reset-password': t('user.confirmResetPassword', { name: username }),
    'reset-mfa': t('user.confirmResetMfa', { name: username }),
    invite: t('user.confirmResendInvitation', { name: username }),
  };
  const opLabel: Record<UserOp, string> = {
    disable: t('user.disable'),
    enable: t('user.enable'),
    'sign-out': t('user.signOut'),
    'reset-password': t('user.resetPassword'),
    'reset-mfa': t('user.resetMfa'),
    invite: t('user.resendInvitation'),
    delete: t('user.delete'),
  };
  const row = 'py-2 border-b border-line last:border-b-0 text-sm';
  const actionLink = 'inline-block border-2 border-line rounded-theme px-3 py-2 font-semibold text-ink bg-surface';
  return (
    <ConsoleFrame ctx={ctx} screen="users" heading={t('user.title', { name: username })}>
      {notice ? <Alert tone="notice">{notice}</Alert> : null}
      {confirm && questions[confirm] ? (
        <ConfirmStep
          question={questions[confirm]}
          action={userOpAction}
          hidden={{ ...hidden, op: confirm }}
          confirm={opLabel[confirm]}
          cancel={t('common.cancel')}
          cancelHref={here}
          testId="confirm"
        />
      ) : null}
      <Panel id="actions" heading={t('user.actions')}>
        {invitationPending ? <p className="text-sm mb-3" data-testid="invitation-pending">{t('user.invitationPending')}</p> : null}
        <ul className="flex flex-wrap gap-2">
          {user.enabled ? (
            <li><a className={actionLink} href={`${here}?confirm=disable`} data-testid="user-disable">{opLabel.disable}</a></li>
          ) : (
            <li>
              <FlowForm action={userOpAction} hidden={{ ...hidden, op: 'enable' }} fields={[]} buttons={[{ label: opLabel.enable, variant: 'secondary', testId: 'user-enable' }]} />
            </li>
          )}
          <li><a className={actionLink} href={`${here}?confirm=sign-out`} data-testid="user-sign-out">{opLabel['sign-out']}</a></li>
          {invitationPending ? <li><a className={actionLink} href={`${here}?confirm=invite`} data-testid="user-resend-invitation">{opLabel.invite}</a></li> : null}
          <li><a className={actionLink} href={`${here}?confirm=reset-password`} data-testid="user-reset-password">{opLabel['reset-password']}</a></li>
          <li><a className={actionLink} href={`${here}?confirm=reset-mfa`} data-testid="user-reset-mfa">{opLabel['reset-mfa']}</a></li>
          <li><a className={`${actionLink} text-danger border-danger`} href={`${here}?confirm=delete`} data-testid="user-delete">{opLabel.delete}</a></li>
        </ul>
      </Panel>
      <Panel id="attributes" heading={t('user.attributes')}>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm mb-4" data-testid="user-attributes">
          <dt className="text-muted">sub</dt>
          <dd dir="ltr" className="text-start">{user.sub}</dd>
          <dt className="text-muted">{t('users.status')}</dt>
          <dd data-testid="user-status">{user.enabled ? t('users.enabled') : t('users.disabled')} · <span dir="ltr">{user.status}</span></dd>
          <dt className="text-muted">email</dt>
          <dd dir="ltr" className="text-start">{user.email ?? ''} {user.email ? `(${user.email_verified ? t('user.verified') : t('user.unverified')})` : ''}</dd>
          <dt className="text-muted">phone_number</dt>
          <dd dir="ltr" className="text-start">{user.phone_number ?? ''}</dd>
          {Object.entries(user.attributes).map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-muted" dir="ltr">{k}</dt>
              <dd dir="auto">{v}</dd>
            </div>
          ))}
        </dl>
        <div className="max-w-md">
          <FlowForm
            testId="set-attribute-form"
            action={setAttributeAction}
            hidden={hidden}
            fields={[
              { name: 'name', label: t('user.attribute'), type: 'text', autoComplete: 'off', required: true, maxLength: 64, dir: 'ltr' },
              { name: 'value', label: t('users.value'), type: 'text', autoComplete: 'off', maxLength: 2048, hint: t('user.attributeHint') },
            ]}
            buttons={[{ label: t('user.setAttribute'), variant: 'secondary', testId: 'set-attribute' }]}
          />
        </div>
      </Panel>
      <Panel id="password" heading={t('user.setPassword')}>
        <div className="max-w-md">
          <FlowForm
            testId="set-password-form"
            action={setPasswordAction}
            hidden={hidden}
            fields={[
              { name: 'password', label: t('user.newPassword'), type: 'password', autoComplete: 'new-password', required: true, maxLength: 1024 },
              { name: 'permanent', label: t('users.permanent'), type: 'checkbox', autoComplete: 'off' },
            ]}
            buttons={[{ label: t('user.setPassword'), variant: 'secondary', testId: 'set-password' }]}
          />
        </div>
      </Panel>
      <Panel id="groups" heading={t('user.groups')}>
        {user.groups.length === 0 ? <p className="text-sm text-muted">{t('common.none')}</p> : (
          <ul data-testid="user-groups">{user.groups.map((g) => <li key={g} className={row}><a className="text-link underline" href={`/${locale}/admin/groups/${seg(g)}`}><bdi>{g}</bdi></a></li>)}</ul>
        )}
      </Panel>
      <Panel id="factors" heading={t('user.factors')}>
        {factors.length === 0 ? <p className="text-sm text-muted">{t('common.none')}</p> : (
          <ul data-testid="user-factors">{factors.map((f, i) => <li key={i} className={row}><span dir="ltr">{f.kind}</span>{f.name ? <> · <bdi>{f.name}</bdi></> : null} · {when(f.created_at)}</li>)}</ul>
        )}
      </Panel>
      <Panel id="sessions" heading={t('user.sessions')}>
        {sessions.length === 0 ? <p className="text-sm text-muted">{t('common.none')}</p> : (
          <ul data-testid="user-sessions">{sessions.map((s, i) => <li key={i} className={row}>{t('user.signedInAt', { date: s.signed_in_at ? when(s.signed_in_at) : '', apps: s.clients.join(', ') })}</li>)}</ul>
        )}
      </Panel>
      <Panel id="identities" heading={t('user.identities')}>
        {identities.length === 0 ? <p className="text-sm text-muted">{t('common.none')}</p> : (
          <ul>{identities.map((x) => <li key={`${x.provider}:${x.subject}`} className={row} dir="ltr">{x.provider} · {x.subject}</li>)}</ul>
        )}
      </Panel>
      <Panel id="events" heading={t('user.events')}>
        {events.length === 0 ? <p className="text-sm text-muted">{t('user.noEvents')}</p> : (
          <ul data-testid="user-events">{events.map((e) => <li key={e.id} className={row}><span dir="ltr">{e.type}</span> · {when(e.at)}</li>)}</ul>
        )}
      </Panel>
    </ConsoleFrame>
  );
}
