import { poolSettingsSchema } from '../../config/seed';
import { etagOf } from '../etag';
import { route, type Route } from '../route';
import { writeResource } from '../write';

const settingsBody = poolSettingsSchema.meta({ id: 'PoolSettings', description: 'The pool policies, as `pool` of the pool config.' });

export const settingsRoutes: Route[] = [
  route({
    id: 'getSettings',
    method: 'GET',
    path: '/settings',
    tag: 'settings',
    summary: 'The pool policies: password, MFA, lockout, sign-in aliases, required and custom attributes, self sign-up, rate limits',
    response: { status: 200, schema: settingsBody, etag: true },
    handle: async (c) => {
      const settings = await c.admin.settings.read();
      return { status: 200, body: settings, etag: etagOf(settings) };
    },
  }),
  route({
    id: 'putSettings',
    method: 'PUT',
    path: '/settings',
    tag: 'settings',
    summary: 'Replace the pool policies (fields left out take their defaults); every instance applies them within a second',
    body: settingsBody,
    ifMatch: 'required',
    response: { status: 200, schema: settingsBody, etag: true },
    handle: (c) =>
      writeResource(c, {
        type: 'settings',
        what: 'the pool settings',
        existing: true,
        load: (admin) => admin.settings.read(),
        idOf: () => 'pool',
        save: (admin) => admin.settings.write({ settings: c.body }),
      }),
  }),
];
