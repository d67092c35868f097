import { z } from 'zod';
import type { AdminOps, AdminRefusal } from '../../pool';
import { etagOf } from '../etag';
import { notFound } from '../problem';
import { deleteResource, refused, writeResource } from '../write';
import { route, type Call, type Route } from '../route';
import * as s from '../schemas';
import { cursorKey, pageOut } from './paging';

const userParams = z.object({ username: s.username });

/** The user's row, or 404. */
async function rowOf(admin: AdminOps, username: string) {
  const row = await admin.users.row({ username });
  if (!row) throw notFound(`user "${username}"`);
  return row;
}

type UserRow = NonNullable<Awaited<ReturnType<AdminOps['users']['row']>>>;

/** A user: stored as a row, shown as its record. */
const userTarget = (username: string) => ({
  type: 'user',
  what: `user "${username}"`,
  load: (admin: AdminOps) => admin.users.row({ username }),
  show: (row: UserRow, admin: AdminOps) => admin.users.record({ row }),
  idOf: (u: { username: string }) => u.username,
});

/**
 * A change to one user in one transaction: the row locked, If-Match checked against what it
 * showed, `change` applied, the record after audited and answered with its new ETag.
 */
function changeUser(
  c: Call<{ username: string }, unknown, unknown>,
  action: string,
  change: (admin: AdminOps, row: UserRow) => Promise<AdminRefusal | void>,
) {
  return writeResource(c, { ...userTarget(c.params.username), existing: true, action, save: change });
}

export const userRoutes: Route[] = [
  route({
    id: 'searchUsers',
    method: 'GET',
    path: '/users',
    tag: 'users',
    summary: 'Search users by username or e-mail prefix, phone number, sub or an attribute value; by username, a page at a time',
    query: s.userSearch,
    response: { status: 200, schema: s.page(s.userRecord) },
    handle: async (c) => {
      const { cursor, limit, attribute_name, attribute_value, ...query } = c.query;
      const after = cursorKey(cursor, 'string');
      const found = await c.admin.users.search({
        query: { ...query, ...(attribute_name !== undefined && attribute_value !== undefined ? { attribute: { name: attribute_name, value: attribute_value } } : {}) },
        after,
        limit,
      });
      return { status: 200, body: found };
    },
  }),
  route({
    id: 'createUser',
    method: 'POST',
    path: '/users',
    tag: 'users',
    summary: 'Create a user',
    body: s.userCreate,
    response: { status: 201, schema: s.userRecord, etag: true },
    handle: async (c) => {
      const preHashed = await c.admin.users.preHash({ password: c.body.password });
      const record = await c.write(async (admin, audit) => {
        const made = await admin.users.create({ user: c.body, preHashed });
        if ('error' in made) throw refused(made);
        const after = await admin.users.record({ row: made });
        await audit({ action: 'user.create', resource: { type: 'user', id: after.username }, before: null, after });
        return after;
      });
      return { status: 201, body: record, etag: etagOf(record), location: `/admin/api/v1/users/${encodeURIComponent(record.username)}` };
    },
  }),
  route({
    id: 'getUser',
    method: 'GET',
    path: '/users/{username}',
    tag: 'users',
    summary: 'A user',
    params: userParams,
    response: { status: 200, schema: s.userRecord, etag: true },
    handle: async (c) => {
      const record = await c.admin.users.record({ row: await rowOf(c.admin, c.params.username) });
      return { status: 200, body: record, etag: etagOf(record) };
    },
  }),
  route({
    id: 'updateUser',
    method: 'PATCH',
    path: '/users/{username}',
    tag: 'users',
    summary: "Change a user's e-mail, phone number or attributes",
    params: userParams,
    body: s.userPatch,
    ifMatch: 'required',
    response: { status: 200, schema: s.userRecord, etag: true },
    handle: (c) => changeUser(c, 'user.update', (admin, row) => admin.users.patch({ row, patch: c.body })),
  }),
  route({
    id: 'deleteUser',
    method: 'DELETE',
    path: '/users/{username}',
    tag: 'users',
    summary: 'Delete a user (every sign-in of theirs ends)',
    params: userParams,
    ifMatch: 'required',
    response: { status: 204 },
    handle: (c) => deleteResource(c, { ...userTarget(c.params.username), remove: (admin, row) => admin.users.delete({ userId: row.id }) }),
  }),
  route({
    id: 'disableUser',
    method: 'POST',
    path: '/users/{username}/disable',
    tag: 'users',
    summary: 'Disable a user: they cannot sign in, and every sign-in of theirs ends',
    params: userParams,
    ifMatch: 'optional',
    response: { status: 200, schema: s.userRecord, etag: true },
    handle: (c) => changeUser(c, 'user.disable', async (admin, row) => void (await admin.users.setEnabled({ userId: row.id, enabled: false }))),
  }),
  route({
    id: 'enableUser',
    method: 'POST',
    path: '/users/{username}/enable',
    tag: 'users',
    summary: 'Enable a user',
    params: userParams,
    ifMatch: 'optional',
    response: { status: 200, schema: s.userRecord, etag: true },
    handle: (c) => changeUser(c, 'user.enable', async (admin, row) => void (await admin.users.setEnabled({ userId: row.id, enabled: true }))),
  }),
  route({
    id: 'setUserPassword',
    method: 'POST',
    path: '/users/{username}/password',
    tag: 'users',
    summary: 'Set a permanent or temporary password (checked against the pool policy); every sign-in of the user ends',
    params: userParams,
    body: s.passwordBody,
    ifMatch: 'optional',
    response: { status: 200, schema: s.userRecord, etag: true },
    handle: async (c) => {
      const preHashed = await c.admin.users.preHash({ password: c.body.password });
      return changeUser(c, 'user.set_password', (admin, row) => admin.users.setPassword({ row, password: c.body.password, permanent: c.body.permanent, preHashed }));
    },
  }),
  route({
    id: 'resetUserPassword',
    method: 'POST',
    path: '/users/{username}/reset-password',
    tag: 'users',
    summary: "Reset the password (Cognito's AdminResetUserPassword): it signs in no more, every sign-in ends, and the user is mailed a code to choose a new one",
    params: userParams,
    ifMatch: 'optional',
    response: { status: 200, schema: s.userRecord, etag: true },
    handle: (c) => changeUser(c, 'user.reset_password', (admin, row) => admin.users.resetPassword({ row })),
  }),
  route({
    id: 'getUserInvitation',
    method: 'GET',
    path: '/users/{username}/invitation',
    tag: 'users',
    summary: 'Whether the user waits for an invitation (no password yet), and until when its latest link works',
    params: userParams,
    response: { status: 200, schema: s.invitation },
    handle: async (c) => ({ status: 200, body: await c.admin.users.invitation({ row: await rowOf(c.admin, c.params.username) }) }),
  }),
  route({
    id: 'inviteUser',
    method: 'POST',
    path: '/users/{username}/invite',
    tag: 'users',
    summary: 'Mail the user a new invitation: a one-time link, valid 7 days, to choose their password (the earlier link stops working); 409 when the user has a password or no e-mail',
    params: userParams,
    ifMatch: 'optional',
    response: { status: 200, schema: s.userRecord, etag: true },
    handle: (c) => changeUser(c, 'user.invite', (admin, row) => admin.users.invite({ row })),
  }),
  route({
    id: 'resetUserMfa',
    method: 'POST',
    path: '/users/{username}/reset-mfa',
    tag: 'users',
    summary: 'Forget the second factors (app, codes by e-mail or text, recovery codes, remembered devices; passkeys stay); every sign-in ends',
    params: userParams,
    ifMatch: 'optional',
    response: { status: 200, schema: s.userRecord, etag: true },
    handle: (c) => changeUser(c, 'user.reset_mfa', (admin, row) => admin.users.resetMfa({ userId: row.id })),
  }),
  route({
    id: 'signOutUser',
    method: 'POST',
    path: '/users/{username}/sign-out',
    tag: 'users',
    summary: 'Sign the user out everywhere: every session, grant and token ends',
    params: userParams,
    response: { status: 200, schema: s.signedOut },
    handle: async (c) => {
      const ended = await c.write(async (admin, audit) => {
        const row = await rowOf(admin, c.params.username);
        const n = await admin.users.signOutEverywhere({ userId: row.id });
        await audit({ action: 'user.sign_out', resource: { type: 'user', id: row.username }, before: null, after: { sessions_ended: n } });
        return n;
      });
      return { status: 200, body: { sessions_ended: ended } };
    },
  }),
  route({
    id: 'listUserGroups',
    method: 'GET',
    path: '/users/{username}/groups',
    tag: 'users',
    summary: "The user's groups, by precedence",
    params: userParams,
    response: { status: 200, schema: s.items(z.string()) },
    handle: async (c) => ({ status: 200, body: { items: (await c.admin.users.record({ row: await rowOf(c.admin, c.params.username) })).groups } }),
  }),
  route({
    id: 'listUserFactors',
    method: 'GET',
    path: '/users/{username}/factors',
    tag: 'users',
    summary: "The user's second factors and passkeys (no secrets)",
    params: userParams,
    response: { status: 200, schema: s.items(s.factor) },
    handle: async (c) => ({ status: 200, body: { items: await c.admin.users.factors({ userId: (await rowOf(c.admin, c.params.username)).id }) } }),
  }),
  route({
    id: 'listUserSessions',
    method: 'GET',
    path: '/users/{username}/sessions',
    tag: 'users',
    summary: "The user's live browser sessions",
    params: userParams,
    response: { status: 200, schema: s.items(s.session) },
    handle: async (c) => ({ status: 200, body: { items: await c.admin.users.sessions({ userId: (await rowOf(c.admin, c.params.username)).id }) } }),
  }),
  route({
    id: 'listUserIdentities',
    method: 'GET',
    path: '/users/{username}/identities',
    tag: 'users',
    summary: "The user's linked outside identities",
    params: userParams,
    response: { status: 200, schema: s.items(s.identity) },
    handle: async (c) => {
      const ids = await c.admin.users.identities({ userId: (await rowOf(c.admin, c.params.username)).id });
      return {
        status: 200,
        body: {
          items: ids.map((i) => ({ provider: i.providerName, provider_type: i.providerType, subject: i.subject, issuer: i.issuer, linked_at: i.linkedAt, last_sign_in_at: i.lastSignInAt })),
        },
      };
    },
  }),
  route({
    id: 'listUserEvents',
    method: 'GET',
    path: '/users/{username}/events',
    tag: 'users',
    summary: "The user's events, newest first",
    params: userParams,
    query: s.pageQuery,
    response: { status: 200, schema: s.page(s.event) },
    handle: async (c) => {
      const row = await rowOf(c.admin, c.params.username);
      const found = await c.admin.events.list({ filter: { userId: row.id }, before: cursorKey(c.query.cursor, 'number'), limit: c.query.limit });
      return { status: 200, body: pageOut(found, ({ userId, ...e }) => ({ ...e, user_id: userId })) };
    },
  }),
];

export { rowOf };
