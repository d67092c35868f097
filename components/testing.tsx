import { createTranslator } from 'next-intl';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactElement } from 'react';
import ar from '@/messages/ar.json';
import en from '@/messages/en.json';

/**
 * What `getTranslations` from next-intl/server answers, from the real catalogues, for rendering
 * server components outside Next.js: `vi.mock('next-intl/server', () => intlServerMock)`.
 */
export const intlServerMock = {
  getTranslations: async ({ locale, namespace }: { locale: 'en' | 'ar'; namespace?: string }) =>
    createTranslator({ locale, messages: locale === 'ar' ? ar : en, namespace: namespace as never }),
};

/** The markup and every class token on it. */
export function render(el: ReactElement): { html: string; classes: Set<string> } {
  const html = renderToStaticMarkup(el);
  const classes = new Set([...html.matchAll(/class="([^"]*)"/g)].flatMap((m) => m[1].split(/\s+/)));
  return { html, classes };
}
