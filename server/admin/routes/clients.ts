import { z } from 'zod';
import { clientFields, clientInputSchema } from '../../config/seed';
import { BUILT_IN_CLIENTS, clientRecordOf, type AdminOps } from '../../pool';
import { etagOf } from '../etag';
import { checkSameId, notFound, Problem } from '../problem';
import { route, type Route } from '../route';
import * as s from '../schemas';
import { cursorKey } from './paging';
import { deleteResource, refused, writeResource } from '../write';

const clientParams = z.object({ client_id: z.string().min(1).max(128) });
const clientBody = clientInputSchema.meta({
  id: 'ClientBody',
  description: 'An app client as in `clients` of the pool config, without `client_secret` (Foyer makes it); `client_id` is made when left out.',
});
const client = clientFields.omit({ client_secret: true }).meta({ id: 'Client', description: 'An app client as `config export` writes it, without its secret (only a hash is stored).' });
const withSecret = client.extend({ client_secret: z.string().optional().describe('a confidential client’s secret: shown in this answer only') }).meta({ id: 'ClientWithSecret' });

async function clientOf(admin: AdminOps, clientId: string) {
  const c = await admin.clients.get({ clientId });
  if (!c) throw notFound(`client "${clientId}"`);
  return c;
}

const target = (clientId: string) => ({
  type: 'client',
  what: `client "${clientId}"`,
  load: (admin: AdminOps) => admin.clients.get({ clientId }),
  show: clientRecordOf,
  idOf: (c: { client_id: string }) => c.client_id,
});

/** The built-in apps follow the deployment: readable, never changed through the API. */
function writable(clientId: string) {
  if (BUILT_IN_CLIENTS.has(clientId)) throw new Problem(403, 'built-in', 'A built-in client cannot be changed', `"${clientId}" is one of Foyer's own apps: its settings follow the deployment`);
}

export const clientRoutes: Route[] = [
  route({
    id: 'listClients',
    method: 'GET',
    path: '/clients',
    tag: 'clients',
    summary: 'App clients, by client_id (the built-in ones are not listed)',
    query: s.pageQuery,
    response: { status: 200, schema: s.page(client) },
    handle: async (c) => ({ status: 200, body: await c.admin.clients.list({ after: cursorKey(c.query.cursor, 'string'), limit: c.query.limit }) }),
  }),
  route({
    id: 'getClient',
    method: 'GET',
    path: '/clients/{client_id}',
    tag: 'clients',
    summary: 'An app client',
    params: clientParams,
    response: { status: 200, schema: client, etag: true },
    handle: async (c) => {
      const record = clientRecordOf(await clientOf(c.admin, c.params.client_id));
      return { status: 200, body: record, etag: etagOf(record) };
    },
  }),
  route({
    id: 'createClient',
    method: 'POST',
    path: '/clients',
    tag: 'clients',
    summary: 'Create an app client; a confidential one’s secret is in this answer and never again',
    body: clientBody,
    response: { status: 201, schema: withSecret, etag: true },
    handle: async (c) => {
      const made = await c.write(async (admin, audit) => {
        const done = await admin.clients.create({ client: c.body });
        if ('error' in done) throw refused(done);
        const record = clientRecordOf(done.client);
        await audit({ action: 'client.create', resource: { type: 'client', id: record.client_id }, before: null, after: record });
        return { record, secret: done.secret };
      });
      return {
        status: 201,
        body: { ...made.record, ...(made.secret ? { client_secret: made.secret } : {}) },
        etag: etagOf(made.record),
        location: `/admin/api/v1/clients/${encodeURIComponent(made.record.client_id)}`,
      };
    },
  }),
  route({
    id: 'putClient',
    method: 'PUT',
    path: '/clients/{client_id}',
    tag: 'clients',
    summary: 'Replace an app client’s settings (its secret stays; If-Match required)',
    params: clientParams,
    body: clientBody,
    ifMatch: 'required',
    response: { status: 200, schema: client, etag: true },
    handle: async (c) => {
      writable(c.params.client_id);
      checkSameId('client_id', c.body.client_id, c.params.client_id);
      return writeResource(c, { ...target(c.params.client_id), existing: true, save: (admin, stored) => admin.clients.replace({ before: stored, client: c.body }) });
    },
  }),
  route({
    id: 'rotateClientSecret',
    method: 'POST',
    path: '/clients/{client_id}/secret',
    tag: 'clients',
    summary: 'A new secret for a confidential client, in this answer only; the old one stops working at once',
    params: clientParams,
    ifMatch: 'optional',
    response: { status: 200, schema: withSecret, etag: true },
    handle: async (c) => {
      writable(c.params.client_id);
      const done = await c.write(async (admin, audit) => {
        const stored = await clientOf(admin, c.params.client_id);
        const record = clientRecordOf(stored);
        c.ifMatch(etagOf(record));
        const secret = await admin.clients.rotateSecret({ client: stored });
        if (typeof secret !== 'string') throw refused(secret);
        // Neither secret is audited: only that it changed.
        await audit({ action: 'client.rotate_secret', resource: { type: 'client', id: record.client_id }, before: null, after: null });
        return { record, secret };
      });
      return { status: 200, body: { ...done.record, client_secret: done.secret }, etag: etagOf(done.record) };
    },
  }),
  route({
    id: 'deleteClient',
    method: 'DELETE',
    path: '/clients/{client_id}',
    tag: 'clients',
    summary: 'Delete an app client (409 while a resource server or SAML provider names it)',
    params: clientParams,
    ifMatch: 'required',
    response: { status: 204 },
    handle: async (c) => {
      writable(c.params.client_id);
      return deleteResource(c, { ...target(c.params.client_id), remove: (admin, before) => admin.clients.delete({ clientId: before.client_id }) });
    },
  }),
];
