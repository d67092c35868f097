import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { ConsoleFrame, Panel } from '../_frame/ConsoleFrame';
import { saveSettingsAction } from './actions';

/**
 * The pool policies (password, MFA, lockout, aliases, attributes, sign-up, rate limits, the admin
 * group) as the config's JSON, validated by the admin API's schema (the same as `pool` of the
 * config file); a refusal names the member at fault.
 */
export default async function ConsoleSettingsPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const ctx = await loadConsolePage(locale, '/settings');
  const { t } = ctx;
  const got = await callAdmin(ctx, { method: 'GET', path: '/settings' });
  const json = got.ok ? JSON.stringify(got.body, null, 2) : '';
  return (
    <ConsoleFrame ctx={ctx} screen="settings" heading={t('settings.title')}>
      {query.notice === 'saved' ? <Alert tone="notice">{t('settings.saved')}</Alert> : null}
      <Panel id="policies" heading={t('settings.json')}>
        <p className="text-sm text-muted mb-3">{t('settings.explain')}</p>
        <div className="max-w-3xl">
          <FlowForm
            testId="settings-form"
            action={saveSettingsAction}
            hidden={{ ...ctx.hidden, etag: got.ok ? (got.etag ?? '') : '' }}
            fields={[{ name: 'settings', label: t('settings.json'), type: 'textarea', rows: 24, autoComplete: 'off', required: true, maxLength: 200_000, dir: 'ltr', defaultValue: json }]}
            buttons={[{ label: t('settings.save'), testId: 'save-settings' }]}
          />
        </div>
      </Panel>
    </ConsoleFrame>
  );
}
