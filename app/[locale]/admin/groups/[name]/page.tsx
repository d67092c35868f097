import { notFound } from 'next/navigation';
import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg, segmentParam } from '@/app/_lib/console';
import { isLocale } from '@/i18n/locales';
import { ConsoleFrame, Panel } from '../../_frame/ConsoleFrame';
import { ConfirmStep } from '../../_frame/ConfirmStep';
import { groupChangeAction, saveGroupAction } from '../actions';
import { groupFields } from '../group-fields';

type Group = { name: string; description?: string; precedence?: number };

interface Props {
  params: Promise<{ locale: string; name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** One group: its description and precedence, its members (add, remove), and deleting it. */
export default async function ConsoleGroupPage(props: Props) {
  const { locale, name: raw } = await props.params;
  if (!isLocale(locale)) notFound();
  const name = segmentParam(raw);
  const path = `/groups/${seg(name)}`;
  const ctx = await loadConsolePage(locale, path);
  const { t } = ctx;
  const query = await props.searchParams;
  const got = await callAdmin(ctx, { method: 'GET', path });
  if (!got.ok) notFound();
  const group = got.body as Group;
  const etag = got.etag ?? '';
  const members = await callAdmin(ctx, { method: 'GET', path: `${path}/members?limit=200` });
  const usernames = members.ok ? (members.body as { items: string[] }).items : [];
  const hidden = { ...ctx.hidden, name, etag };
  const here = `/${locale}/admin${path}`;
  const notice = typeof query.notice === 'string' && t.has(`groups.notices.${query.notice}` as never) ? t(`groups.notices.${query.notice}` as never) : null;
  const row = 'flex flex-wrap items-center justify-between gap-3 py-2 border-b border-line last:border-b-0 text-sm';
  const actionLink = 'inline-block border-2 border-line rounded-theme px-3 py-2 font-semibold text-ink bg-surface';
  return (
    <ConsoleFrame ctx={ctx} screen="groups" heading={t('groups.group', { name })}>
      {notice ? <Alert tone="notice">{notice}</Alert> : null}
      {query.confirm === 'delete' ? (
        <ConfirmStep question={t('groups.confirmDelete', { name })} action={groupChangeAction} hidden={{ ...hidden, op: 'delete' }} confirm={t('groups.delete')} cancel={t('common.cancel')} cancelHref={here} testId="confirm" />
      ) : null}
      {query.confirm === 'remove' && typeof query.member === 'string' ? (
        <ConfirmStep question={t('groups.confirmRemove', { name: query.member, group: name })} action={groupChangeAction} hidden={{ ...hidden, op: 'remove', username: query.member }} confirm={t('groups.remove', { name: query.member })} cancel={t('common.cancel')} cancelHref={here} testId="confirm" />
      ) : null}
      <Panel id="group-settings" heading={t('groups.save')}>
        <div className="max-w-md">
          <FlowForm testId="save-group-form" action={saveGroupAction} hidden={hidden} fields={groupFields(t, group)} buttons={[{ label: t('groups.save'), testId: 'save-group' }]} />
        </div>
        <p className="mt-4">
          <a className="inline-block border-2 border-danger text-danger rounded-theme px-3 py-2 font-semibold bg-surface" href={`${here}?confirm=delete`} data-testid="group-delete">{t('groups.delete')}</a>
        </p>
      </Panel>
      <Panel id="members" heading={t('groups.members')}>
        {usernames.length === 0 ? <p className="text-sm text-muted">{t('groups.noMembers')}</p> : null}
        <ul data-testid="group-members">
          {usernames.map((u) => (
            <li key={u} className={row} data-testid="group-member">
              <a className="text-link underline" href={`/${locale}/admin/users/${seg(u)}`}><bdi>{u}</bdi></a>
              <a className={actionLink} href={`${here}?${new URLSearchParams({ confirm: 'remove', member: u })}`} data-testid="remove-member">
                {t('groups.remove', { name: u })}
              </a>
            </li>
          ))}
        </ul>
        <div className="max-w-md mt-4">
          <FlowForm
            testId="add-member-form"
            action={groupChangeAction}
            hidden={{ ...hidden, op: 'add' }}
            fields={[{ name: 'username', label: t('groups.username'), type: 'text', autoComplete: 'off', required: true, maxLength: 128 }]}
            buttons={[{ label: t('groups.addMember'), variant: 'secondary', testId: 'add-member' }]}
          />
        </div>
      </Panel>
    </ConsoleFrame>
  );
}
