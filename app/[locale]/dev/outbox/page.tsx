import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { PageFrame } from '@/components/PageFrame';
import { currentTheme } from '@/app/_lib/theme';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { requestInfo } from '@/app/_lib/request';
import { runtime } from '@/server/runtime-handle';

/** Development only: mail and text messages that were not sent. 404 unless one of them is not sent, the
 * issuer is loopback and the reader is on this machine (or FOYER_DEV_OUTBOX=1). */
export default async function OutboxPage(props: PageProps) {
  const { locale } = await pageInput(props);
  const rt = await runtime();
  const { ip } = await requestInfo();
  if (!rt.outboxVisibleTo(ip)) notFound();
  const t = await getTranslations({ locale });
  const mails = await rt.pool.outbox({ limit: 50 });
  const theme = await currentTheme();
  return (
    <PageFrame theme={theme} locale={locale} path="/dev/outbox" heading={t('outbox.title')} subheading={t('outbox.explain')}>
      {rt.outboxVisibleTo(ip, 'sms') ? <p className="mb-4 text-sm">{t('sms.outboxNote')}</p> : null}
      {mails.length === 0 ? <p>{t('outbox.empty')}</p> : null}
      <ol className="flex flex-col gap-4" data-testid="outbox">
        {mails.map((m) => (
          <li key={m.id} className="border border-line rounded-theme p-3" data-channel={m.channel}>
            <dl className="text-sm grid grid-cols-[auto_1fr] gap-x-3">
              <dt className="font-semibold">{t('outbox.to')}</dt>
              <dd dir="ltr">{m.recipient}</dd>
              {m.channel === 'sms' ? (
                <>
                  <dt className="font-semibold">{t('sms.outboxChannel')}</dt>
                  <dd>{t('sms.outboxSms')}</dd>
                </>
              ) : (
                <>
                  <dt className="font-semibold">{t('outbox.subject')}</dt>
                  <dd>{m.subject}</dd>
                </>
              )}
              <dt className="font-semibold">{t('outbox.sentAt')}</dt>
              <dd>
                <time dateTime={new Date(m.created_at).toISOString()}>{new Date(m.created_at).toISOString().replace('T', ' ').slice(0, 19)}</time>
              </dd>
            </dl>
            <pre dir="auto" className="whitespace-pre-wrap mt-2 text-sm">{m.body}</pre>
          </li>
        ))}
      </ol>
    </PageFrame>
  );
}
