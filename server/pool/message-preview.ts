import type { MailBrand } from '../mail/html';
import { renderMail, type MailTemplate, type SecurityChange } from '../mail/templates';
import { renderSms, type SmsTemplate } from '../sms/templates';
import type { AppliedTheme } from './themes';

export type { MailTemplate, SecurityChange, SmsTemplate };

/** What an e-mail shows of a theme: its light brand colour (mail clients have no dark mode to rely on) and its logo, by absolute URL. */
export function mailBrandOf({ theme, assets }: AppliedTheme, publicUrl: string): MailBrand {
  const logo = theme.logo && assets[theme.logo.light];
  return { color: theme.colors.light.brand, ...(logo && theme.logo ? { logo: { url: `${publicUrl}${logo}`, alt: theme.logo.alt, height: theme.logo.height } } : {}) };
}

/**
 * A message rendered exactly as the outbox would get it (same templates, custom text, pool name),
 * but in the theme being previewed and never queued: the theme editor shows it.
 */
export interface MessagePreview {
  mail(o: { to: string; template: MailTemplate; locale: string; theme: AppliedTheme }): Promise<{ subject: string; text: string; html: string }>;
  sms(o: { to: string; template: SmsTemplate; locale: string }): Promise<{ body: string }>;
}

export function messagePreview(deps: { poolName: () => Promise<string>; customText: (locale: string) => Promise<Parameters<typeof renderMail>[5]>; publicUrl: string }): MessagePreview {
  return {
    async mail({ to, template, locale, theme }) {
      const m = renderMail(to, template, locale, await deps.poolName(), mailBrandOf(theme, deps.publicUrl), await deps.customText(locale));
      return { subject: m.subject, text: m.text, html: m.html ?? '' };
    },
    async sms({ to, template, locale }) {
      return { body: renderSms(to, template, locale, await deps.poolName(), await deps.customText(locale)).body };
    },
  };
}
