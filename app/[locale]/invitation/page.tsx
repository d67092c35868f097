import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { TextLink } from '@/components/TextLink';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { previewRequest } from '@/app/_lib/preview';
import { requestInfo } from '@/app/_lib/request';
import { currentTheme } from '@/app/_lib/theme';
import { runtime } from '@/server/runtime-handle';
import { invitationAction } from './actions';

/**
 * Where a mailed invitation lands (server/pool/invitations.ts): the username, and a new password
 * under the pool's policy. Opening it changes nothing (mail scanners open links); a link that is
 * unknown, used or expired gets this folder's not-found page (404), saying to ask for a new one.
 * After the password is set (`notice=accepted`), the page says the user may sign in.
 * On the theme editor's preview: the form with a sample username, inert.
 */
export default async function InvitationPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const t = await getTranslations({ locale });
  const theme = await currentTheme();
  const rt = await runtime();
  const settings = await rt.pool.settings();
  if (query.notice === 'accepted' && !(await previewRequest())) {
    return (
      <PageFrame theme={theme} locale={locale} path="/invitation" query={{ notice: query.notice }} heading={t('invitation.doneTitle')}>
        <Alert tone="notice" testId="invitation-accepted">
          {t('invitation.done')}
        </Alert>
        <p className="mt-6">
          <TextLink href={`/${locale}/account`}>{t('invitation.signIn')}</TextLink>
        </p>
      </PageFrame>
    );
  }
  const preview = await previewRequest();
  const { link, token } = query;
  const found = preview ? { username: t('preview.samples.text') } : link && token ? await rt.pool.invitations.read({ id: link, token }) : undefined;
  if (!found) notFound();
  const csrf = preview ? '' : (await requestInfo()).csrf;
  return (
    <PageFrame theme={theme} locale={locale} path="/invitation" query={{ link, token }} heading={t('invitation.title')} subheading={t('invitation.explain')}>
      <p className="mb-4" data-testid="invitation-username">
        {t('invitation.username', { username: `\u2068${found.username}\u2069` })}
      </p>
      <FlowForm
        testId="invitation-form"
        action={invitationAction}
        hidden={{ csrf, locale, link: link ?? '', token: token ?? '' }}
        fields={[
          {
            name: 'password',
            label: t('invitation.password'),
            type: 'password',
            autoComplete: 'new-password',
            required: true,
            maxLength: settings.password_policy.max_length,
            hint: t('signup.passwordHint', { min: settings.password_policy.min_length }),
            autoFocus: true,
          },
        ]}
        buttons={[{ label: t('invitation.submit'), testId: 'set-password' }]}
      />
    </PageFrame>
  );
}
