import { z } from 'zod';
import { coded } from '../../config/field-codes';
import { locales } from '../../../i18n/locales';
import { englishMessages, MAX_PREVIEW_TEXTS, MAX_TEXT_LENGTH } from '../../pool/custom-text';
import { builtInThemes } from '../../pool/themes/resolve';
import { themeId } from '../../../themes/schema';
import { etagOf } from '../etag';
import { notFound, Problem } from '../problem';
import { route, type Call, type Route } from '../route';
import { refused } from '../write';

const locale = z.enum(locales).describe('A supported locale');
const key = z
  .string()
  .max(200)
  .refine((k) => englishMessages.has(k), coded('message_key', 'not a message key of the catalogue'))
  .describe('A dotted key of messages/en.json, e.g. `login.title` or `email.confirmSignUp.subject`');
const text = z.string().min(1).max(MAX_TEXT_LENGTH).describe('An ICU message with exactly the English message’s placeholders, plural and select arguments and tags');
const localeParams = z.object({ locale });
const keyParams = z.object({ locale, key });
const localeTexts = z
  .object({ locale, texts: z.record(z.string(), z.string()).describe('Overrides by dotted key') })
  .meta({ id: 'CustomTextLocale', description: 'A locale’s custom text, as `custom_text.<locale>` of the pool config' });
const override = z
  .object({ locale, key: z.string(), text, english: z.string().describe('The catalogue’s English message, for reference') })
  .meta({ id: 'CustomText', description: 'One override of a catalogue message' });
/** A locale's overrides are up to 1,000 messages of up to 2,000 characters. */
const BULK_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

const resource = (locale: string, key?: string) => ({ type: 'custom-text', id: key ? `${locale}/${key}` : locale });

/** Runs a custom-text write, then makes this instance's screens and mail use it at once. */
async function written<T>(c: Call<unknown, unknown, unknown>, fn: Parameters<Call<unknown, unknown, unknown>['write']>[0]): Promise<T> {
  const out = (await c.write(fn)) as T;
  c.admin.customText.refresh();
  return out;
}

export const customTextRoutes: Route[] = [
  route({
    id: 'getCustomTextLocale',
    method: 'GET',
    path: '/custom-text/{locale}',
    tag: 'custom-text',
    summary: 'A locale’s overrides of catalogue messages (screens, e-mails, texts)',
    params: localeParams,
    response: { status: 200, schema: localeTexts, etag: true },
    handle: async (c) => {
      const texts = await c.admin.customText.list({ locale: c.params.locale });
      return { status: 200, body: { locale: c.params.locale, texts }, etag: etagOf(texts) };
    },
  }),
  route({
    id: 'putCustomTextLocale',
    method: 'PUT',
    path: '/custom-text/{locale}',
    tag: 'custom-text',
    summary: 'Replace a locale’s overrides (every one checked; none written if one is refused)',
    params: localeParams,
    body: z.object({ texts: z.record(z.string(), z.string()) }).strict(),
    bodyLimit: BULK_BODY_LIMIT_BYTES,
    // It replaces every override of the locale: one saved since the caller's GET would be lost.
    ifMatch: 'required',
    response: { status: 200, schema: localeTexts, etag: true },
    handle: async (c) => {
      const { locale } = c.params;
      const after = await written<Record<string, string>>(c, async (admin, audit) => {
        const before = await admin.customText.list({ locale });
        c.ifMatch(etagOf(before));
        const refusal = await admin.customText.replace({ locale, texts: c.body.texts });
        if (refusal) throw refused(refusal);
        const now = await admin.customText.list({ locale });
        await audit({ action: 'custom_text.replace', resource: resource(locale), before, after: now });
        return now;
      });
      return { status: 200, body: { locale, texts: after }, etag: etagOf(after) };
    },
  }),
  route({
    id: 'previewCustomText',
    method: 'POST',
    path: '/custom-text/{locale}/preview',
    tag: 'custom-text',
    summary: 'Unsaved overrides on the preview screens (e-mails and text messages included): each checked as a PUT would be (400 names the problem under /texts/{key}); a short-lived token whose preview screens show them in the pool’s theme, or the published theme `theme` names',
    params: localeParams,
    body: z
      .object({
        texts: z.record(key, text).describe(`Up to ${MAX_PREVIEW_TEXTS} overrides by dotted key`),
        theme: themeId.optional().describe('The published theme (built in or stored) the screens are shown in; the pool’s by default'),
      })
      .strict(),
    response: { status: 200, schema: z.object({ token: z.string(), expires_at: z.number().int(), path: z.string().describe('the login screen’s preview; other screens: /{locale}/preview/{screen}?preview={token}') }) },
    handle: async (c) => {
      const { locale } = c.params;
      const { theme } = c.body;
      if (theme !== undefined && !(theme in builtInThemes) && !(await c.admin.themes.get({ id: theme }))) throw notFound(`theme "${theme}"`);
      const made = await c.admin.customText.preview({ locale, texts: c.body.texts, theme });
      if ('error' in made) throw refused(made.error === 'invalid' ? { ...made, problems: made.problems.map((p) => ({ ...p, path: ['texts', ...p.path] })) } : made);
      return { status: 200, body: { token: made.token, expires_at: made.expiresAt, path: `/${locale}/preview/login?preview=${encodeURIComponent(made.token)}` } };
    },
  }),
  route({
    id: 'getCustomText',
    method: 'GET',
    path: '/custom-text/{locale}/{key}',
    tag: 'custom-text',
    summary: 'One override, with the English message',
    params: keyParams,
    response: { status: 200, schema: override, etag: true },
    handle: async (c) => {
      const { locale, key } = c.params;
      const current = (await c.admin.customText.list({ locale }))[key];
      if (current === undefined) throw notFound(`custom text for "${key}" in ${locale}`);
      return { status: 200, body: { locale, key, text: current, english: englishMessages.get(key)! }, etag: etagOf(current) };
    },
  }),
  route({
    id: 'putCustomText',
    method: 'PUT',
    path: '/custom-text/{locale}/{key}',
    tag: 'custom-text',
    summary: 'Set one override (If-Match required when it exists); 400 names the ICU or placeholder problem',
    params: keyParams,
    body: z.object({ text }).strict(),
    ifMatch: 'required',
    response: { status: 200, schema: override, etag: true },
    handle: async (c) => {
      const { locale, key } = c.params;
      await written(c, async (admin, audit) => {
        const before = (await admin.customText.list({ locale }))[key];
        c.ifMatch(before === undefined ? undefined : etagOf(before));
        const refusal = await admin.customText.put({ locale, key, text: c.body.text });
        if (refusal) {
          // Each problem on the body's `text`, with its code and values (the console words them).
          const problems = 'problems' in refusal ? refusal.problems : [refusal];
          const errors = problems.map((p) => ({ pointer: '/text', detail: p.message, code: p.code, params: p.params }));
          throw new Problem(400, 'invalid-request', 'The request is not valid', problems.map((p) => p.message).join('; '), { errors });
        }
        await audit({ action: before === undefined ? 'custom_text.create' : 'custom_text.update', resource: resource(locale, key), before: before ?? null, after: c.body.text });
      });
      return { status: 200, body: { locale, key, text: c.body.text, english: englishMessages.get(key)! }, etag: etagOf(c.body.text) };
    },
  }),
  route({
    id: 'deleteCustomText',
    method: 'DELETE',
    path: '/custom-text/{locale}/{key}',
    tag: 'custom-text',
    summary: 'Remove one override: the catalogue’s message applies again',
    params: keyParams,
    ifMatch: 'required',
    response: { status: 204 },
    handle: async (c) => {
      const { locale, key } = c.params;
      await written(c, async (admin, audit) => {
        const before = (await admin.customText.list({ locale }))[key];
        if (before === undefined) throw notFound(`custom text for "${key}" in ${locale}`);
        c.ifMatch(etagOf(before));
        await admin.customText.delete({ locale, key });
        await audit({ action: 'custom_text.delete', resource: resource(locale, key), before, after: null });
      });
      return { status: 204 };
    },
  }),
];
