import { hasLocale } from 'next-intl';
import { getRequestConfig } from 'next-intl/server';
import { startedRuntime } from '../server/runtime-handle';
import { routing } from './routing';

export default getRequestConfig(async ({ requestLocale }) => {
  const requested = await requestLocale;
  const locale = hasLocale(routing.locales, requested) ? requested : routing.defaultLocale;
  // The operators' custom text merged in (cached, fresh within a second); the shipped catalogue
  // when no runtime runs (a build prerendering).
  const rt = startedRuntime();
  return {
    locale,
    messages: rt ? await (await rt).pool.customText.messages(locale) : (await import(`../messages/${locale}.json`)).default,
  };
});
