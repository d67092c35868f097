import { notFound } from 'next/navigation';
import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg, segmentParam } from '@/app/_lib/console';
import { isLocale } from '@/i18n/locales';
import { isBuiltInResourceServer } from '@/server/pool';
import { ConsoleFrame, Panel } from '../../_frame/ConsoleFrame';
import { ConfirmStep } from '../../_frame/ConfirmStep';
import { deleteResourceServerAction, saveResourceServerAction } from '../actions';
import { scopeLines, serverFields, type ResourceServerRecord } from '../server-fields';

interface Props {
  params: Promise<{ locale: string; id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** One resource server: its name and scopes (read-only for foyer, the admin API itself), deleting it. */
export default async function ConsoleResourceServerPage(props: Props) {
  const { locale, id: raw } = await props.params;
  if (!isLocale(locale)) notFound();
  const identifier = segmentParam(raw);
  const path = `/resource-servers/${seg(identifier)}`;
  const ctx = await loadConsolePage(locale, path);
  const { t } = ctx;
  const query = await props.searchParams;
  const got = await callAdmin(ctx, { method: 'GET', path });
  if (!got.ok) notFound();
  const rs = got.body as ResourceServerRecord;
  const hidden = { ...ctx.hidden, identifier, etag: got.etag ?? '' };
  const here = `/${locale}/admin${path}`;
  const builtIn = isBuiltInResourceServer(identifier);
  return (
    <ConsoleFrame ctx={ctx} screen="resourceServers" heading={t('resourceServers.server', { id: identifier })}>
      {query.notice === 'saved' ? <Alert tone="notice">{t('resourceServers.saved')}</Alert> : null}
      {!builtIn && query.confirm === 'delete' ? (
        <ConfirmStep question={t('resourceServers.confirmDelete', { id: identifier })} action={deleteResourceServerAction} hidden={hidden} confirm={t('resourceServers.delete')} cancel={t('common.cancel')} cancelHref={here} testId="confirm" />
      ) : null}
      {builtIn ? (
        <Panel id="resource-server-settings" heading={t('resourceServers.builtIn')}>
          <p className="text-sm text-muted mb-3">{t('resourceServers.builtInExplain')}</p>
          <pre dir="ltr" className="text-sm overflow-auto border-2 border-line rounded-theme p-3" data-testid="resource-server-scopes">{scopeLines(rs.scopes)}</pre>
        </Panel>
      ) : (
        <Panel id="resource-server-settings" heading={t('resourceServers.save')}>
          <div className="max-w-xl">
            <FlowForm testId="save-resource-server-form" action={saveResourceServerAction} hidden={hidden} fields={serverFields(t, rs)} buttons={[{ label: t('resourceServers.save'), testId: 'save-resource-server' }]} />
          </div>
          <p className="mt-4">
            <a className="inline-block border-2 border-danger text-danger rounded-theme px-3 py-2 font-semibold bg-surface" href={`${here}?confirm=delete`} data-testid="resource-server-delete">{t('resourceServers.delete')}</a>
          </p>
        </Panel>
      )}
    </ConsoleFrame>
  );
}
