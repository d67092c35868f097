import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { ConsoleFrame, Panel } from '../_frame/ConsoleFrame';
import { SearchForm, type SearchField } from '../_frame/SearchForm';
import { createUserAction } from './actions';
import { ConsoleTable, ItemLink, NextPage } from '../_frame/ConsoleTable';

type UserRow = { username: string; email?: string; phone_number?: string; enabled: boolean; status: string };
const BY = ['username', 'email', 'phone_number', 'sub', 'attribute'] as const;
type By = (typeof BY)[number];

/** Users: search by username, e-mail, phone, sub or an attribute, a page at a time; create one. */
export default async function ConsoleUsersPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const ctx = await loadConsolePage(locale, '/users');
  const { t } = ctx;
  const by: By = (BY as readonly string[]).includes(query.by ?? '') ? (query.by as By) : 'username';
  const q = query.q ?? '';
  const params = new URLSearchParams();
  if (q) {
    if (by === 'attribute') {
      params.set('attribute_name', query.attr ?? '');
      params.set('attribute_value', q);
    } else params.set(by, q);
  }
  if (query.cursor) params.set('cursor', query.cursor);
  params.set('limit', '25');
  const found = await callAdmin(ctx, { method: 'GET', path: `/users?${params}` });
  const page = found.ok ? (found.body as { items: UserRow[]; next?: string }) : { items: [] };
  const next = page.next ? `/${locale}/admin/users?${new URLSearchParams({ by, q, ...(query.attr ? { attr: query.attr } : {}), cursor: page.next })}` : null;
  const labels: Record<By, string> = { username: t('users.byUsername'), email: t('users.byEmail'), phone_number: t('users.byPhone'), sub: t('users.bySub'), attribute: t('users.byAttribute') };
  const fields: SearchField[] = [
    { name: 'by', label: t('users.by'), options: BY.map((b) => ({ value: b, label: labels[b] })), value: by },
    { name: 'q', label: t('users.value'), value: q, type: 'search' },
    { name: 'attr', label: t('users.attributeName'), value: query.attr ?? '' },
  ];
  return (
    <ConsoleFrame ctx={ctx} screen="users" heading={t('users.title')}>
      {query.notice === 'deleted' ? <Alert tone="notice">{t('users.deleted')}</Alert> : null}
      <Panel id="find-users" heading={t('users.searchLabel')}>
        <SearchForm action={`/${locale}/admin/users`} fields={fields} submit={t('common.search')} testId="user-search" />
        {!found.ok ? <p role="alert" className="text-danger mt-3">{t('errors.invalid-request')}</p> : null}
        <ConsoleTable
          rows={page.items}
          rowKey={(u) => u.username}
          empty={t('users.noResults')}
          className="mt-3"
          testId="user-results"
          rowTestId="user-row"
          columns={[
            { label: t('users.username'), cell: (u) => <ItemLink href={`/${locale}/admin/users/${seg(u.username)}`}>{u.username}</ItemLink> },
            { label: t('users.email'), cell: (u) => u.email ?? '', dir: 'ltr' },
            { label: t('users.phone'), cell: (u) => u.phone_number ?? '', dir: 'ltr' },
            { label: t('users.status'), cell: (u) => (u.enabled ? t('users.enabled') : t('users.disabled')) },
          ]}
        />
        <NextPage href={next} label={t('common.next')} testId="next-page" />
      </Panel>
      <Panel id="create-user" heading={t('users.create')}>
        <div className="max-w-md">
          <FlowForm
            testId="create-user-form"
            action={createUserAction}
            hidden={ctx.hidden}
            fields={[
              { name: 'username', label: t('users.username'), type: 'text', autoComplete: 'off', required: true, maxLength: 128 },
              { name: 'email', label: t('users.email'), type: 'email', autoComplete: 'off', maxLength: 320, dir: 'ltr' },
              { name: 'email_verified', label: t('users.emailVerified'), type: 'checkbox', autoComplete: 'off' },
              { name: 'password', label: t('users.password'), type: 'password', autoComplete: 'new-password', maxLength: 1024, hint: t('users.passwordHint') },
              { name: 'permanent', label: t('users.permanent'), type: 'checkbox', autoComplete: 'off' },
              { name: 'invite', label: t('users.invite'), type: 'checkbox', autoComplete: 'off', hint: t('users.inviteHint') },
            ]}
            buttons={[{ label: t('users.create'), testId: 'create-user' }]}
          />
        </div>
      </Panel>
    </ConsoleFrame>
  );
}
