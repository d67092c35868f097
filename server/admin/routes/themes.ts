import { z } from 'zod';
import { themeId, themeInput } from '../../../themes/schema';
import type { AdminOps } from '../../pool';
import { etagOf } from '../etag';
import { checkSameId, notFound } from '../problem';
import { route, type Route } from '../route';
import { refused } from './users';

const themeParams = z.object({ id: themeId });
const theme = themeInput.meta({ id: 'Theme', description: 'A theme as in `themes` of the pool config; images and fonts as data: URLs or stored `asset:<sha256>` references.' });
/** Images and fonts come inline (data: URLs, up to 1 MiB each before base64). */
const THEME_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

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
      const after = await c.write(async (admin, audit) => {
        const before = await admin.themes.get({ id: c.params.id });
        c.ifMatch(before && etagOf(before));
        const saved = await admin.themes.save({ theme: c.body });
        if ('error' in saved) throw refused(saved);
        await audit({ action: before ? 'theme.update' : 'theme.create', resource: { type: 'theme', id: saved.id }, before: before ?? null, after: saved });
        return saved;
      });
      return { status: 200, body: after, etag: etagOf(after) };
    },
  }),
  route({
    id: 'deleteTheme',
    method: 'DELETE',
    path: '/themes/{id}',
    tag: 'themes',
    summary: 'Delete a theme no one uses (409 while the pool, a client or another theme names it)',
    params: themeParams,
    ifMatch: 'required',
    response: { status: 204 },
    handle: async (c) => {
      await c.write(async (admin, audit) => {
        const before = await themeOf(admin, c.params.id);
        c.ifMatch(etagOf(before));
        const refusal = await admin.themes.delete({ id: before.id });
        if (refusal) throw refused(refusal);
        await audit({ action: 'theme.delete', resource: { type: 'theme', id: before.id }, before, after: null });
      });
      return { status: 204 };
    },
  }),
];
