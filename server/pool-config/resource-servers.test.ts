import { expect, it } from 'vitest';
import { parsePoolConfig, parseSeed } from '../config/seed';
import { listResourceServers, findResourceServer } from '../pool/resource-servers';
import { describeEachDb } from '../testing/databases';
import { applyPoolConfig } from './apply';
import { exportPoolConfig } from './export';
import type { Plan } from './plan';

const SECRET = 'machine-client-secret-0123456789';
const API = 'https://api.example';

function baseFile() {
  return {
    resource_servers: [
      { identifier: API, name: 'Example API', scopes: [{ name: 'read', description: 'Read things' }, { name: 'write', description: 'Write things' }], introspection_clients: ['api-backend'] },
      { identifier: 'orders', name: 'Orders', scopes: [{ name: 'list', description: 'List orders' }] },
    ] as Record<string, unknown>[],
    clients: [
      { client_id: 'svc', client_secret: SECRET, grant_types: ['client_credentials'], scope: `${API}/read orders/list foyer/admin.read` },
      { client_id: 'api-backend', client_secret: SECRET, grant_types: ['client_credentials'] },
      { client_id: 'web', client_secret: SECRET, redirect_uris: ['https://app.example/cb'], scope: `openid email offline_access ${API}/read` },
    ] as Record<string, unknown>[],
  };
}
function file(edit: (f: ReturnType<typeof baseFile>) => void = () => undefined) {
  const f = baseFile();
  edit(f);
  return parsePoolConfig(JSON.parse(JSON.stringify(f)), 'pool.json');
}
const summary = (plan: Plan) => plan.changes.map((c) => `${c.action}${c.action === 'remove' && !c.applied ? '(kept)' : ''} ${c.section}/${c.name}`);

describeEachDb('resource servers in the pool config', (open) => {
  it('are stored, listed after the built-in foyer, exported, and applied again without change', async () => {
    const db = await open();
    const first = await applyPoolConfig(db, file());
    expect(summary(first)).toEqual(['create resource_servers/https://api.example', 'create resource_servers/orders', 'create clients/svc', 'create clients/api-backend', 'create clients/web']);

    const listed = await listResourceServers(db.kysely);
    expect(listed.map((r) => r.identifier)).toEqual(['foyer', API, 'orders']);
    expect(listed[0].scopes.map((s) => s.name)).toEqual(['admin', 'admin.read']);
    expect(await findResourceServer(db.kysely, API)).toMatchObject({ name: 'Example API', introspection_clients: ['api-backend'] });
    expect(await findResourceServer(db.kysely, 'nope')).toBeUndefined();

    expect((await applyPoolConfig(db, file())).changes).toEqual([]);

    // The export (foyer is built in, not exported) applies back to the same state.
    const exported = await exportPoolConfig(db.kysely, { includeSecrets: false });
    expect((exported.resource_servers as { identifier: string }[]).map((r) => r.identifier)).toEqual([API, 'orders']);
    const again = await applyPoolConfig(db, parsePoolConfig(JSON.parse(JSON.stringify({ resource_servers: exported.resource_servers, clients: exported.clients })), 'export.json'));
    expect(again.changes).toEqual([]);
    expect(again.unchanged.resource_servers).toBe(2);
  });

  it('an edited scope list is an update; a server not in the file is removed only when pruning', async () => {
    const db = await open();
    await applyPoolConfig(db, file());
    const edited = file((f) => {
      f.resource_servers = [{ ...f.resource_servers[0], scopes: [{ name: 'read', description: 'Read everything' }, { name: 'write', description: 'Write things' }] }];
      f.clients[0].scope = `${API}/read`;
    });
    const plan = await applyPoolConfig(db, edited);
    expect(summary(plan)).toEqual(['update resource_servers/https://api.example', 'remove(kept) resource_servers/orders', 'update clients/svc']);
    expect(plan.changes[0]).toMatchObject({ fields: [{ field: 'scopes' }] });
    const pruned = await applyPoolConfig(db, edited, { prune: true });
    expect(summary(pruned)).toEqual(['remove resource_servers/orders']);
    expect((await listResourceServers(db.kysely)).map((r) => r.identifier)).toEqual(['foyer', API]);
  });

  it('a client naming an unknown custom scope is refused, with the reason', async () => {
    const db = await open();
    await expect(applyPoolConfig(db, file((f) => (f.clients[2].scope = `openid ${API}/delete`)), { dryRun: true })).rejects.toThrow(
      `field "clients.2.scope": unknown scope "${API}/delete": resource server "${API}" has no scope "delete"`,
    );
    await expect(applyPoolConfig(db, file((f) => (f.clients[0].scope = 'https://other.example/read')), { dryRun: true })).rejects.toThrow(
      /clients\.0\.scope.*no resource server has the identifier "https:\/\/other\.example" \(declare it in resource_servers\)/,
    );
    await expect(applyPoolConfig(db, file((f) => (f.clients[0].scope = 'foyer/delete')), { dryRun: true })).rejects.toThrow(/resource server "foyer" has no scope "delete"/);
    // Nothing was written.
    expect(await listResourceServers(db.kysely)).toHaveLength(1);
  });

  it('a client may name a stored resource server\'s scope; not one the same file prunes away', async () => {
    const db = await open();
    await applyPoolConfig(db, file());
    const clientsOnly = parsePoolConfig({ clients: [{ client_id: 'later', client_secret: SECRET, grant_types: ['client_credentials'], scope: 'orders/list' }] }, 'clients.json');
    expect(summary(await applyPoolConfig(db, clientsOnly))).toContain('create clients/later');
    const dropsOrders = file((f) => {
      f.resource_servers = [f.resource_servers[0]];
      f.clients.push({ client_id: 'later', client_secret: SECRET, grant_types: ['client_credentials'], scope: 'orders/list' });
    });
    await expect(applyPoolConfig(db, dropsOrders, { prune: true, dryRun: true })).rejects.toThrow(/field "clients\.0\.scope": unknown scope "orders\/list": no resource server has the identifier "orders"/);
  });

  it('introspection_clients must be confidential clients that exist', async () => {
    const db = await open();
    await expect(applyPoolConfig(db, file((f) => (f.resource_servers[0].introspection_clients = ['ghost'])), { dryRun: true })).rejects.toThrow(
      /resource_servers\.0\.introspection_clients\.0.*client "ghost" does not exist/,
    );
    const withPublic = file((f) => {
      f.clients.push({ client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: ['https://spa.example/cb'] });
      f.resource_servers[0].introspection_clients = ['spa'];
    });
    await expect(applyPoolConfig(db, withPublic, { dryRun: true })).rejects.toThrow(/introspection_clients\.0.*client "spa" is public/);
  });
});

it('the built-in foyer resource server cannot be defined by a config', () => {
  expect(() => parseSeed({ resource_servers: [{ identifier: 'foyer', name: 'Mine', scopes: [] }] })).toThrow(/resource_servers\.0\.identifier/);
});
