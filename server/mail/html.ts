/** What a themed e-mail shows of its theme: the brand colour and the logo (its absolute URL). */
export interface MailBrand {
  color: string;
  logo?: { url: string; alt: string; height: number };
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => escapes[c]);

/**
 * The HTML part beside the plain text: the same words (escaped, paragraphs kept), under the
 * theme's logo or the pool's name, with a rule in the brand colour. Inline styles only, as mail
 * clients drop stylesheets; the colour is a validated #rrggbb and the URL our own asset path.
 */
export function mailHtml(text: string, poolName: string, brand: MailBrand, lang: string, dir: 'ltr' | 'rtl'): string {
  const header = brand.logo
    ? `<img src="${escape(brand.logo.url)}" alt="${escape(brand.logo.alt)}" height="${brand.logo.height}" style="height:${brand.logo.height}px;border:0">`
    : `<strong style="font-size:18px">${escape(poolName)}</strong>`;
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 16px">${escape(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
  return (
    `<!doctype html><html lang="${escape(lang)}" dir="${dir}"><body style="margin:0;padding:24px;font-family:system-ui,sans-serif;color:#15171a;background:#ffffff">` +
    `<div style="max-width:560px;margin:0 auto;border-top:4px solid ${brand.color};padding-top:16px">` +
    `<div style="margin-bottom:24px">${header}</div>${paragraphs}</div></body></html>`
  );
}
