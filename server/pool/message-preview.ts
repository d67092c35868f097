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

type Catalogue = Parameters<typeof renderMail>[5];

/**
 * A message rendered exactly as the outbox would get it (same templates, custom text, pool name),
 * but in the theme being previewed and never queued: the theme editor shows it. `token`: the
 * preview's token; unsaved custom text it carries for this locale (the console's custom-text
 * editor) is shown too. Only previews take a token: the outbox never sees unsaved text.
 */
export interface MessagePreview {
  mail(o: { to: string; template: MailTemplate; locale: string; theme: AppliedTheme; token?: string }): Promise<{ subject: string; text: string; html: string }>;
  sms(o: { to: string; template: SmsTemplate; locale: string; token?: string }): Promise<{ body: string }>;
}

export function messagePreview(deps: {
  poolName: () => Promise<string>;
  customText: (locale: string) => Promise<Catalogue>;
  /** The locale's catalogue with a preview token's unsaved overrides; undefined when it carries none for the locale. */
  previewText: (locale: string, token: string) => Promise<Catalogue | undefined>;
  publicUrl: string;
}): MessagePreview {
  const catalogue = async (locale: string, token: string | undefined) => (token ? await deps.previewText(locale, token) : undefined) ?? (await deps.customText(locale));
  return {
    async mail({ to, template, locale, theme, token }) {
      const m = renderMail(to, template, locale, await deps.poolName(), mailBrandOf(theme, deps.publicUrl), await catalogue(locale, token));
      return { subject: m.subject, text: m.text, html: m.html ?? '' };
    },
    async sms({ to, template, locale, token }) {
      return { body: renderSms(to, template, locale, await deps.poolName(), await catalogue(locale, token)).body };
    },
  };
}
