import { z } from 'zod';
import { themeId, themeInput } from '../../../themes/schema';
import type { Actor, AdminOps, AdminRefusal, PublishedTheme } from '../../pool';
import type { ThemeInput } from '../../../themes/schema';
import { etagOf } from '../etag';
import { checkSameId, notFound } from '../problem';
import { route, type Call, type Reply, type Route } from '../route';
import { deleteResource, refused, writeResource } from '../write';

const themeParams = z.object({ id: themeId });
const theme = themeInput.meta({ id: 'Theme', description: 'A theme as in `themes` of the pool config; images and fonts as data: URLs or stored `asset:<sha256>` references.' });
/** Images and fonts come inline (data: URLs, up to 1 MiB each before base64). */
const THEME_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/** How the history names who published: `client:<client_id>` or `user:<sub>`. */
const by = (a: Actor) => `${a.type}:${a.id}`;

const draft = z
  .object({ theme, updated_by: z.string(), updated_at: z.number().int().describe('milliseconds since the epoch') })
  .meta({ id: 'ThemeDraft', description: 'The unpublished edit of a theme: saving it changes no screen.' });
const published = z.object({ theme, version: z.number().int().positive() }).meta({ id: 'PublishedTheme' });
const versionSummary = z
  .object({
    version: z.number().int().positive(),
    published_by: z.string().describe('`client:<client_id>`, `user:<sub>`, or `config` (the pool config)'),
    published_at: z.number().int(),
    rolled_back_from: z.number().int().positive().nullable().describe('the version this one republished'),
  })
  .meta({ id: 'ThemeVersion' });
/** An export's choice: assets as stored references (this deployment only) or inlined (any deployment). */
const exportQuery = z
  .object({
    assets: z
      .enum(['stored', 'inline'])
      .default('stored')
      .describe('`inline`: every `asset:<sha256>` as a `data:` URL of its bytes, so the theme imports into another deployment (PUT it, or the console’s import)'),
  })
  .strict();
const exported = (admin: AdminOps, t: ThemeInput, assets: 'stored' | 'inline') => (assets === 'inline' ? admin.themes.portable({ theme: t }) : t);
const versionParams = themeParams.extend({ version: z.coerce.number().int().positive().max(2 ** 31 - 1) });

const draftBody = (d: { theme: z.output<typeof theme>; updatedBy: string; updatedAt: number }) => ({ theme: d.theme, updated_by: d.updatedBy, updated_at: d.updatedAt });
/** A draft's ETag covers what the editor edits (its definition), not who saved it when. */
const draftEtag = (d: { theme: unknown } | undefined) => d && etagOf(d.theme);

/**
 * A publish (of the draft, or of an old version): `run` checks If-Match and publishes, in one
 * transaction with its audit row; `missing` names what a 404 lacks.
 */
async function publishing(
  c: Call<{ id: string }, unknown, unknown>,
  action: string,
  missing: string,
  run: (admin: AdminOps, before: ThemeInput | undefined) => Promise<PublishedTheme | AdminRefusal | undefined>,
): Promise<Reply> {
  const out = await c.write(async (admin, audit) => {
    const before = await admin.themes.get({ id: c.params.id });
    const done = await run(admin, before);
    if (!done) throw notFound(missing);
    if ('error' in done) throw refused(done);
    await audit({ action, resource: { type: 'theme', id: c.params.id }, before: before ?? null, after: { ...done.theme, version: done.version } });
    return done;
  });
  return { status: 200, body: out, etag: etagOf(out.theme) };
}

const target = (id: string) => ({
  type: 'theme',
  what: `theme "${id}"`,
  load: (admin: AdminOps) => admin.themes.get({ id }),
  idOf: (t: ThemeInput) => t.id,
});

type Draft = NonNullable<Awaited<ReturnType<AdminOps['themes']['draft']>>>;

/** A draft: its ETag and audit rows cover its definition, not who saved it when. */
const draftTarget = (id: string) => ({
  type: 'theme',
  what: `draft of theme "${id}"`,
  load: (admin: AdminOps) => admin.themes.draft({ id }),
  show: (d: Draft) => d.theme,
  idOf: () => id,
});

async function themeOf(admin: AdminOps, id: string) {
  const t = await admin.themes.get({ id });
  if (!t) throw notFound(`theme "${id}"`);
  return t;
}

export const themeRoutes: Route[] = [
  route({
    id: 'listThemes',
    method: 'GET',
    path: '/themes',
    tag: 'themes',
    summary: 'The stored themes (the built-in ones are not listed)',
    response: { status: 200, schema: z.object({ items: z.array(theme) }) },
    handle: async (c) => ({ status: 200, body: { items: await c.admin.themes.list() } }),
  }),
  route({
    id: 'listThemeDrafts',
    method: 'GET',
    path: '/theme-drafts',
    tag: 'themes',
    summary: 'Every unpublished draft: of published themes, and of themes never published (an import), which `GET /themes` does not list',
    response: { status: 200, schema: z.object({ items: z.array(draft) }) },
    handle: async (c) => ({ status: 200, body: { items: (await c.admin.themes.drafts()).map(draftBody) } }),
  }),
  route({
    id: 'getTheme',
    method: 'GET',
    path: '/themes/{id}',
    tag: 'themes',
    summary: 'A stored theme',
    params: themeParams,
    response: { status: 200, schema: theme, etag: true },
    handle: async (c) => {
      const t = await themeOf(c.admin, c.params.id);
      return { status: 200, body: t, etag: etagOf(t) };
    },
  }),
  route({
    id: 'putTheme',
    method: 'PUT',
    path: '/themes/{id}',
    tag: 'themes',
    summary: 'Create or replace a theme (If-Match required when it exists); every screen using it changes at once',
    params: themeParams,
    body: theme,
    bodyLimit: THEME_BODY_LIMIT_BYTES,
    ifMatch: 'required',
    response: { status: 200, schema: theme, etag: true },
    handle: async (c) => {
      checkSameId('id', c.body.id, c.params.id);
      return writeResource(c, { ...target(c.params.id), save: (admin) => admin.themes.save({ theme: c.body, by: by(c.principal.actor) }) });
    },
  }),
  route({
    id: 'deleteTheme',
    method: 'DELETE',
    path: '/themes/{id}',
    tag: 'themes',
    summary: 'Delete a theme no one uses, with its draft (409 while the pool, a client or another theme names it: one error each, coded `used_by_pool`, `used_by_client`, `extended_by_theme`)',
    params: themeParams,
    ifMatch: 'required',
    response: { status: 204 },
    handle: (c) => deleteResource(c, { ...target(c.params.id), remove: (admin, before) => admin.themes.delete({ id: before.id }) }),
  }),
  route({
    id: 'getThemeDraft',
    method: 'GET',
    path: '/themes/{id}/draft',
    tag: 'themes',
    summary: 'The unpublished edit of a theme (404 when there is none); `assets=inline` exports it for another deployment',
    params: themeParams,
    query: exportQuery,
    response: { status: 200, schema: draft, etag: true },
    handle: async (c) => {
      const d = await c.admin.themes.draft({ id: c.params.id });
      if (!d) throw notFound(`draft of theme "${c.params.id}"`);
      // The ETag stays the stored draft's: an inlined copy is for export, not for an If-Match.
      return { status: 200, body: draftBody({ ...d, theme: await exported(c.admin, d.theme, c.query.assets) }), etag: draftEtag(d) };
    },
  }),
  route({
    id: 'putThemeDraft',
    method: 'PUT',
    path: '/themes/{id}/draft',
    tag: 'themes',
    summary: 'Save a draft, checked as a published theme is (If-Match required when one exists); no screen changes until it is published',
    params: themeParams,
    body: theme,
    bodyLimit: THEME_BODY_LIMIT_BYTES,
    ifMatch: 'required',
    response: { status: 200, schema: draft, etag: true },
    handle: async (c) => {
      checkSameId('id', c.body.id, c.params.id);
      return writeResource(c, { ...draftTarget(c.params.id), action: 'theme.draft.save', save: (admin) => admin.themes.saveDraft({ theme: c.body, by: by(c.principal.actor) }), body: (_shown, d) => draftBody(d) });
    },
  }),
  route({
    id: 'deleteThemeDraft',
    method: 'DELETE',
    path: '/themes/{id}/draft',
    tag: 'themes',
    summary: 'Discard a draft (of a theme never published: the theme is gone with it)',
    params: themeParams,
    ifMatch: 'required',
    response: { status: 204 },
    handle: (c) => deleteResource(c, { ...draftTarget(c.params.id), action: 'theme.draft.discard', remove: (admin) => admin.themes.discardDraft({ id: c.params.id }) }),
  }),
  route({
    id: 'publishTheme',
    method: 'POST',
    path: '/themes/{id}/publish',
    tag: 'themes',
    summary: 'Publish the draft as the next version (If-Match: the draft’s ETag, when given); every screen using the theme changes at once',
    params: themeParams,
    ifMatch: 'optional',
    response: { status: 200, schema: published, etag: true },
    handle: (c) =>
      publishing(c, 'theme.publish', `draft of theme "${c.params.id}"`, async (admin) => {
        const d = await admin.themes.draft({ id: c.params.id });
        if (!d) throw notFound(`draft of theme "${c.params.id}"`);
        c.ifMatch(draftEtag(d));
        return admin.themes.publish({ id: c.params.id, by: by(c.principal.actor) });
      }),
  }),
  route({
    id: 'listThemeVersions',
    method: 'GET',
    path: '/themes/{id}/versions',
    tag: 'themes',
    summary: 'Every version the theme was published with, newest first, with who published it and when',
    params: themeParams,
    response: { status: 200, schema: z.object({ items: z.array(versionSummary) }) },
    handle: async (c) => {
      const items = await c.admin.themes.versions({ id: c.params.id });
      if (items.length === 0 && !(await c.admin.themes.get({ id: c.params.id }))) throw notFound(`theme "${c.params.id}"`);
      return { status: 200, body: { items: items.map((v) => ({ version: v.version, published_by: v.publishedBy, published_at: v.publishedAt, rolled_back_from: v.rolledBackFrom })) } };
    },
  }),
  route({
    id: 'getThemeVersion',
    method: 'GET',
    path: '/themes/{id}/versions/{version}',
    tag: 'themes',
    summary: 'The definition a version was published with (export it, with `assets=inline` for another deployment, or roll back to it)',
    params: versionParams,
    query: exportQuery,
    response: { status: 200, schema: theme },
    handle: async (c) => {
      const t = await c.admin.themes.version({ id: c.params.id, version: c.params.version });
      if (!t) throw notFound(`version ${c.params.version} of theme "${c.params.id}"`);
      return { status: 200, body: await exported(c.admin, t, c.query.assets) };
    },
  }),
  route({
    id: 'rollBackTheme',
    method: 'POST',
    path: '/themes/{id}/versions/{version}/republish',
    tag: 'themes',
    summary: 'Roll back: publish an older version again, as a new version (If-Match: the published theme’s ETag, when given)',
    params: versionParams,
    ifMatch: 'optional',
    response: { status: 200, schema: published, etag: true },
    handle: (c) =>
      publishing(c, 'theme.rollback', `version ${c.params.version} of theme "${c.params.id}"`, async (admin, before) => {
        c.ifMatch(before && etagOf(before));
        return admin.themes.rollBack({ id: c.params.id, version: c.params.version, by: by(c.principal.actor) });
      }),
  }),
  route({
    id: 'previewTheme',
    method: 'POST',
    path: '/themes/{id}/preview',
    tag: 'themes',
    summary: 'A short-lived link to the preview screens of the theme’s draft (or of the published theme with `draft: false`), rendered with sample data',
    params: themeParams,
    body: z.object({ draft: z.boolean().default(true) }),
    response: { status: 200, schema: z.object({ token: z.string(), expires_at: z.number().int(), path: z.string().describe('the login screen’s preview; other screens: /{locale}/preview/{screen}?preview={token}') }) },
    handle: async (c) => {
      const known = (await c.admin.themes.get({ id: c.params.id })) ?? (await c.admin.themes.draft({ id: c.params.id }));
      if (!known) throw notFound(`theme "${c.params.id}"`);
      const { token, expiresAt } = c.admin.themes.previewToken({ id: c.params.id, draft: c.body.draft });
      return { status: 200, body: { token, expires_at: expiresAt, path: `/en/preview/login?preview=${encodeURIComponent(token)}` } };
    },
  }),
];
