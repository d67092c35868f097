import type { getTranslations } from 'next-intl/server';

/** What `getTranslations({ locale })` gives a page: every key of the catalogue, typed. */
export type Translator = Awaited<ReturnType<typeof getTranslations<never>>>;
