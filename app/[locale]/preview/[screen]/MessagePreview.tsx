import { getTranslations } from 'next-intl/server';
import { PageFrame } from '@/components/PageFrame';
import type { Locale } from '@/i18n/locales';
import type { PreviewRequest, PreviewScreen, previewMessage } from '@/app/_lib/preview';
import { runtime } from '@/server/runtime-handle';

/**
 * An e-mail or text message as it would be sent (server/pool/message-preview.ts), in the hosted
 * frame of the theme being previewed: who it goes to, the subject, the HTML part in a sandboxed
 * frame served with its own strict policy (./mail/route.ts, proxy.ts), and the plain text.
 */
export async function MessagePreview({ locale, screen, token, preview, message }: { locale: Locale; screen: PreviewScreen; token: string; preview: PreviewRequest; message: NonNullable<ReturnType<typeof previewMessage>> }) {
  const t = await getTranslations({ locale });
  const rt = await runtime();
  const frame = { theme: preview.applied.theme, locale, path: `/preview/${screen}`, query: { preview: token, state: preview.state, scheme: preview.scheme } };
  const dl = 'grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 mb-4 text-sm';
  if (message.channel === 'sms') {
    const { body } = await rt.pool.messagePreview.sms({ to: t('preview.samples.phone'), template: message.template, locale, token: preview.token });
    return (
      <PageFrame {...frame} heading={t('preview.message.smsTitle')}>
        <dl className={dl}>
          <dt className="font-semibold">{t('outbox.to')}</dt>
          <dd dir="ltr" className="text-start">{t('preview.samples.phone')}</dd>
        </dl>
        <p dir="auto" className="whitespace-pre-wrap border border-line rounded-theme p-3 bg-field" data-testid="preview-sms">{body}</p>
      </PageFrame>
    );
  }
  const mail = await rt.pool.messagePreview.mail({ to: t('preview.samples.email'), template: message.template, locale, theme: preview.applied, token: preview.token });
  return (
    <PageFrame {...frame} heading={t('preview.message.emailTitle')}>
      <dl className={dl}>
        <dt className="font-semibold">{t('outbox.to')}</dt>
        <dd dir="ltr" className="text-start">{t('preview.samples.email')}</dd>
        <dt className="font-semibold">{t('outbox.subject')}</dt>
        <dd dir="auto" data-testid="preview-mail-subject">{mail.subject}</dd>
      </dl>
      <h2 className="font-semibold mb-2">{t('preview.message.html')}</h2>
      <iframe
        src={`/${locale}/preview/${screen}/mail?${new URLSearchParams({ preview: token })}`}
        sandbox=""
        title={t('preview.message.htmlFrame')}
        className="w-full h-96 border border-line rounded-theme bg-white mb-4"
        data-testid="preview-mail-html"
      />
      <h2 className="font-semibold mb-2">{t('preview.message.text')}</h2>
      <pre dir="auto" className="whitespace-pre-wrap text-sm border border-line rounded-theme p-3" data-testid="preview-mail-text">{mail.text}</pre>
    </PageFrame>
  );
}
