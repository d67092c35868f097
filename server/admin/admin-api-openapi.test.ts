/**
 * The published OpenAPI document walked against the running API (not against the route table both
 * are built from): every documented operation answers at its documented path, every GET's body
 * validates against its documented schema, and a path's undocumented methods are refused with an
 * Allow header naming exactly the documented ones. On SQLite and PostgreSQL.
 */
// ajv 6 (draft-07; the one installed). The document's schemas are 2020-12, so the walk first checks
// they use no keyword draft-07 lacks: a validator silently ignoring one would pass anything.
import Ajv from 'ajv';
import { expect, it } from 'vitest';
import { withApi } from '../testing/admin-api';
import { describeEachDb } from '../testing/databases';

type Schema = Record<string, unknown>;
interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: unknown;
  responses?: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const ONLY_IN_2020_12 = /"(prefixItems|\$defs|\$anchor|\$dynamicRef|\$dynamicAnchor|unevaluatedProperties|unevaluatedItems|dependentSchemas|dependentRequired|minContains|maxContains)":/;
const API = 'https://api.example.test';

/** The existing resource each path parameter names, by the path's first segment. */
const existing: Record<string, Record<string, string>> = {
  users: { username: 'alice' },
  groups: { name: 'staff', username: 'alice' },
  clients: { client_id: 'robot' },
  'resource-servers': { identifier: encodeURIComponent(API) },
  'identity-providers': { name: 'Corp' },
  themes: { id: 'brand', version: '1' },
  'custom-text': { locale: 'fr', key: 'login.subtitle' },
};

function fill(path: string): string {
  const values = existing[path.split('/')[1]] ?? {};
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (!(name in values)) throw new Error(`no existing resource for {${name}} in ${path}: add one to the walk`);
    return values[name];
  });
}

/** Every `$ref` in the document, and whether it points at something. */
function refs(doc: unknown): string[] {
  return [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]*)"/g)].map((m) => m[1]);
}
function resolve(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((at, t) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[t] : undefined), doc);
}

describeEachDb('admin API: the OpenAPI document walked against the server', (open) => {
  it('every documented operation answers at its path; GET bodies match their schemas; undocumented methods are 405 with the documented Allow', async () => {
    await withApi(open, async ({ base, call, db, token }) => {
      const bearer = await token();
      // One existing resource of every kind the paths name.
      const made = [
        await call('POST', '/clients', { body: { client_id: 'robot', client_name: 'Robot', grant_types: ['client_credentials'], scope: 'foyer/admin.read' } }),
        await call('PUT', `/resource-servers/${encodeURIComponent(API)}`, { body: { identifier: API, name: 'Orders API', scopes: [{ name: 'read', description: 'Read orders' }] } }),
        await call('PUT', '/identity-providers/Corp', { body: { name: 'Corp', type: 'oidc', issuer: 'https://login.corp.example.test', client_id: 'foyer', client_secret: 'upstream-secret', idp_identifiers: ['corp.example.test'] } }),
        await call('PUT', '/themes/brand', { body: { id: 'brand', name: 'Brand', colors: { light: { brand: '#b00020' } } } }),
        await call('PUT', '/themes/brand/draft', { body: { id: 'brand', name: 'Brand', colors: { light: { brand: '#1d4ed8' } } } }),
        await call('PUT', '/custom-text/fr/login.subtitle', { body: { text: 'pour aller sur {app}' } }),
      ];
      expect(made.map((r) => r.status)).toEqual([201, 200, 200, 200, 200, 200]);
      const alice = (await call('GET', '/users/alice')).json!.sub as string;
      await db.kysely.insertInto('events').values({ type: 'sign_in', user_id: alice, ip: '203.0.113.9', detail: JSON.stringify({ via: 'password' }), created_at: 1_000 }).execute();

      const doc = (await (await fetch(`${base}/openapi.json`)).json()) as Doc;

      // The document's own structure: every $ref resolves, every operation is named (once) and answers.
      const allRefs = refs(doc);
      expect(allRefs.length).toBeGreaterThan(0);
      for (const ref of allRefs) expect(resolve(doc, ref), ref).toBeDefined();
      expect(JSON.stringify(doc)).not.toMatch(ONLY_IN_2020_12);
      const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
      expect(operations.length).toBeGreaterThan(0);
      const ids = operations.map((o) => o.op.operationId);
      for (const { path, method, op } of operations) {
        expect(METHODS, `${method} ${path}`).toContain(method);
        expect(op.operationId, `${method} ${path}`).toMatch(/^[a-zA-Z]+$/);
        const statuses = Object.keys(op.responses ?? {});
        expect(statuses.filter((s) => /^2\d\d$/.test(s)), `${method} ${path}`).toHaveLength(1);
        expect(statuses, `${method} ${path}`).toContain('4XX');
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => [p.name, p.required]), `${method} ${path}`).toEqual(inPath.map((n) => [n, true]));
      }
      expect(new Set(ids).size).toBe(ids.length);

      // Each schema compiles (ajv checks it against the meta-schema); $refs resolve within the document.
      const ajv = new Ajv({ allErrors: true, format: 'full' });
      const validator = (schema: Schema) => ajv.compile({ allOf: [schema], components: doc.components });
      for (const [name, schema] of Object.entries(doc.components.schemas)) expect(() => validator(schema), name).not.toThrow();

      // Reads first, then writes, each write with a stale If-Match: nothing documented changes, yet
      // every route and resource must be found (a 412, a 400 for the empty body, never 404 or 405).
      const order = (m: string) => (m === 'get' ? 0 : 1);
      for (const { path, method, op } of [...operations].sort((a, b) => order(a.method) - order(b.method))) {
        const where = `${method.toUpperCase()} ${path}`;
        const required = (op.parameters ?? []).filter((p) => p.in === 'query' && p.required);
        expect(required, `${where} has required query parameters the walk cannot fill`).toEqual([]);
        const res = await fetch(`${base}${fill(path)}`, {
          method: method.toUpperCase(),
          headers: {
            authorization: `Bearer ${bearer}`,
            ...(method === 'get' ? {} : { 'if-match': '"stale"' }),
            ...(op.requestBody ? { 'content-type': 'application/json' } : {}),
          },
          body: op.requestBody ? '{}' : undefined,
        });
        const text = await res.text();
        expect([404, 405], `${where}: ${res.status} ${text}`).not.toContain(res.status);
        expect(res.status, `${where}: ${text}`).toBeLessThan(500);
        if (method !== 'get') continue;
        const [status, success] = Object.entries(op.responses!).find(([s]) => /^2/.test(s))!;
        expect(String(res.status), `${where}: ${text}`).toBe(status);
        const [mediaType, { schema }] = Object.entries(success.content ?? {})[0] ?? [];
        expect(mediaType, where).toBeDefined();
        expect(res.headers.get('content-type'), where).toBe(`${mediaType}; charset=utf-8`);
        const validate = validator(schema);
        // JSON Lines: each line is one value of the schema.
        const values = mediaType === 'application/jsonl' ? text.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown) : [JSON.parse(text) as unknown];
        expect(values.length, where).toBeGreaterThan(0);
        for (const value of values) expect(validate(value) ? [] : validate.errors, `${where}: ${JSON.stringify(value)}`).toEqual([]);
      }

      // A path's other methods: refused, and Allow names exactly what the document lists for it (a
      // concrete path may match two templates: /custom-text/fr/preview is also {locale}/{key}).
      const template = (p: string) => new RegExp(`^${p.replace(/\./g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`);
      for (const path of Object.keys(doc.paths)) {
        const concrete = fill(path);
        const documented = Object.entries(doc.paths).filter(([p]) => template(p).test(concrete)).flatMap(([, ops]) => Object.keys(ops).map((m) => m.toUpperCase()));
        for (const method of METHODS.map((m) => m.toUpperCase()).filter((m) => !documented.includes(m))) {
          const res = await fetch(`${base}${concrete}`, { method, headers: { authorization: `Bearer ${bearer}` } });
          expect(res.status, `${method} ${path}`).toBe(405);
          expect(res.headers.get('allow')!.split(', ').sort(), `${method} ${path}`).toEqual([...new Set(documented)].sort());
        }
      }
    });
  });
});
