import { z } from 'zod';
import { resourceServerSchema } from '../../config/resource-servers';
import { isBuiltInResourceServer, type AdminOps } from '../../pool';
import { etagOf } from '../etag';
import { checkSameId, notFound, Problem } from '../problem';
import { route, type Route } from '../route';
import { deleteResource, writeResource } from '../write';

const params = z.object({ identifier: z.string().min(1).max(256).describe('the identifier, percent-encoded (https%3A%2F%2Fapi.example)') });
const resourceServer = resourceServerSchema.meta({ id: 'ResourceServer', description: 'A resource server as in `resource_servers` of the pool config: an API and its custom scopes.' });

async function serverOf(admin: AdminOps, identifier: string) {
  const rs = await admin.resourceServers.get({ identifier });
  if (!rs) throw notFound(`resource server "${identifier}"`);
  return rs;
}

const target = (identifier: string) => ({
  type: 'resource_server',
  what: `resource server "${identifier}"`,
  load: (admin: AdminOps) => admin.resourceServers.get({ identifier }),
  idOf: (rs: { identifier: string }) => rs.identifier,
});

function writable(identifier: string) {
  if (isBuiltInResourceServer(identifier)) throw new Problem(403, 'built-in', 'The built-in resource server cannot be changed', 'foyer is the admin API itself');
}

export const resourceServerRoutes: Route[] = [
  route({
    id: 'listResourceServers',
    method: 'GET',
    path: '/resource-servers',
    tag: 'resource-servers',
    summary: 'Resource servers: the built-in foyer (the admin API) first, then the stored ones',
    response: { status: 200, schema: z.object({ items: z.array(resourceServer) }) },
    handle: async (c) => ({ status: 200, body: { items: await c.admin.resourceServers.list() } }),
  }),
  route({
    id: 'getResourceServer',
    method: 'GET',
    path: '/resource-servers/{identifier}',
    tag: 'resource-servers',
    summary: 'A resource server',
    params,
    response: { status: 200, schema: resourceServer, etag: true },
    handle: async (c) => {
      const rs = await serverOf(c.admin, c.params.identifier);
      return { status: 200, body: rs, etag: etagOf(rs) };
    },
  }),
  route({
    id: 'putResourceServer',
    method: 'PUT',
    path: '/resource-servers/{identifier}',
    tag: 'resource-servers',
    summary: 'Create or replace a resource server (If-Match required when it exists; a scope a client is allowed cannot go)',
    params,
    body: resourceServer,
    ifMatch: 'required',
    response: { status: 200, schema: resourceServer, etag: true },
    handle: async (c) => {
      writable(c.params.identifier);
      checkSameId('identifier', c.body.identifier, c.params.identifier);
      return writeResource(c, { ...target(c.params.identifier), save: (admin, before) => admin.resourceServers.put({ resourceServer: c.body, before }) });
    },
  }),
  route({
    id: 'deleteResourceServer',
    method: 'DELETE',
    path: '/resource-servers/{identifier}',
    tag: 'resource-servers',
    summary: 'Delete a resource server no client is allowed a scope of (409 otherwise)',
    params,
    ifMatch: 'required',
    response: { status: 204 },
    handle: async (c) => {
      writable(c.params.identifier);
      return deleteResource(c, { ...target(c.params.identifier), remove: (admin, before) => admin.resourceServers.delete({ identifier: before.identifier }) });
    },
  }),
];
