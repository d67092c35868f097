import { poolSettingsSchema } from '../../config/seed';
import { etagOf } from '../etag';
import { route, type Route } from '../route';
import { refused } from './users';

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
    handle: async (c) => {
      const after = await c.write(async (admin, audit) => {
        const before = await admin.settings.read();
        c.ifMatch(etagOf(before));
        const refusal = await admin.settings.write({ settings: c.body });
        if (refusal) throw refused(refusal);
        const now = await admin.settings.read();
        await audit({ action: 'settings.update', resource: { type: 'settings', id: 'pool' }, before, after: now });
        return now;
      });
      return { status: 200, body: after, etag: etagOf(after) };
    },
  }),
];
