import { notFound } from 'next/navigation';
import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg, segmentParam } from '@/app/_lib/console';
import { isLocale } from '@/i18n/locales';
import { BUILT_IN_CLIENTS } from '@/server/pool';
import { ConsoleFrame, Panel } from '../../_frame/ConsoleFrame';
import { ConfirmStep } from '../../_frame/ConfirmStep';
import { clientChangeAction, saveClientAction } from '../actions';
import { clientFields, type ClientRecord } from '../client-fields';

interface Props {
  params: Promise<{ locale: string; id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** One app client: its settings (read-only for Foyer's own apps), a new secret, deleting it. */
export default async function ConsoleClientPage(props: Props) {
  const { locale, id: raw } = await props.params;
  if (!isLocale(locale)) notFound();
  const id = segmentParam(raw);
  const path = `/clients/${seg(id)}`;
  const ctx = await loadConsolePage(locale, path);
  const { t } = ctx;
  const query = await props.searchParams;
  const got = await callAdmin(ctx, { method: 'GET', path });
  if (!got.ok) notFound();
  const client = got.body as ClientRecord;
  const hidden = { ...ctx.hidden, id, etag: got.etag ?? '' };
  const here = `/${locale}/admin${path}`;
  const builtIn = BUILT_IN_CLIENTS.has(id);
  const confidential = client.token_endpoint_auth_method !== 'none';
  const notice = query.notice === 'created' || query.notice === 'saved' ? t('clients.saved') : null;
  const danger = 'inline-block border-2 border-danger text-danger rounded-theme px-3 py-2 font-semibold bg-surface';
  return (
    <ConsoleFrame ctx={ctx} screen="clients" heading={t('clients.client', { id })}>
      {notice ? <Alert tone="notice">{notice}</Alert> : null}
      {!builtIn && query.confirm === 'delete' ? (
        <ConfirmStep question={t('clients.confirmDelete', { id })} action={clientChangeAction} hidden={{ ...hidden, op: 'delete' }} confirm={t('clients.delete')} cancel={t('common.cancel')} cancelHref={here} testId="confirm" />
      ) : null}
      {!builtIn && confidential && query.confirm === 'rotate' ? (
        <ConfirmStep question={t('clients.confirmRotate', { id })} action={clientChangeAction} hidden={{ ...hidden, op: 'rotate' }} confirm={t('clients.rotate')} cancel={t('common.cancel')} cancelHref={here} testId="confirm" />
      ) : null}
      {builtIn ? (
        <Panel id="client-settings" heading={t('clients.builtIn')}>
          <p className="text-sm text-muted mb-3">{t('clients.builtInExplain')}</p>
          <pre dir="ltr" className="text-sm overflow-auto border-2 border-line rounded-theme p-3" data-testid="client-json">{JSON.stringify(client, null, 2)}</pre>
        </Panel>
      ) : (
        <Panel id="client-settings" heading={t('clients.save')}>
          <div className="max-w-xl">
            <FlowForm testId="save-client-form" action={saveClientAction} hidden={hidden} fields={clientFields(t, client)} buttons={[{ label: t('clients.save'), testId: 'save-client' }]} />
          </div>
          <p className="mt-4 flex flex-wrap gap-3">
            {confidential ? <a className={danger} href={`${here}?confirm=rotate`} data-testid="client-rotate">{t('clients.rotate')}</a> : null}
            <a className={danger} href={`${here}?confirm=delete`} data-testid="client-delete">{t('clients.delete')}</a>
          </p>
        </Panel>
      )}
    </ConsoleFrame>
  );
}
