import { z } from 'zod';
import type { AdminOps } from '../../pool';
import { etagOf } from '../etag';
import { deleteResource, writeResource } from '../write';
import { notFound } from '../problem';
import { route, type Call, type Route } from '../route';
import * as s from '../schemas';
import { cursorKey, pageOut } from './paging';
import { rowOf } from './users';

const groupParams = z.object({ name: s.groupName });
const memberParams = z.object({ name: s.groupName, username: s.username });

async function groupOf(admin: AdminOps, name: string) {
  const g = await admin.groups.get({ name });
  if (!g) throw notFound(`group "${name}"`);
  return g;
}

const groupTarget = (name: string) => ({ type: 'group', what: `group "${name}"`, load: (admin: AdminOps) => admin.groups.get({ name }), idOf: (g: { name: string }) => g.name });

/**
 * Puts the user in the group (`member`) or takes them out, audited as a change to the user; nothing
 * happens (and nothing is audited) when they already are where they should be.
 */
async function setMembership(c: Call<z.output<typeof memberParams>, unknown, unknown>, member: boolean) {
  await c.write(async (admin, audit) => {
    const group = await groupOf(admin, c.params.name);
    const row = await rowOf(admin, c.params.username);
    const before = await admin.users.record({ row });
    if (before.groups.includes(group.name) === member) return;
    if (member) await admin.groups.addMember({ name: group.name, userId: row.id });
    else await admin.groups.removeMember({ name: group.name, userId: row.id });
    await audit({ action: member ? 'group.add_member' : 'group.remove_member', resource: { type: 'user', id: row.username }, before, after: await admin.users.record({ row }) });
  });
  return { status: 204 as const };
}

export const groupRoutes: Route[] = [
  route({
    id: 'listGroups',
    method: 'GET',
    path: '/groups',
    tag: 'groups',
    summary: 'Groups, by name',
    query: s.pageQuery,
    response: { status: 200, schema: s.page(s.group) },
    handle: async (c) => ({ status: 200, body: await c.admin.groups.list({ after: cursorKey(c.query.cursor, 'string'), limit: c.query.limit }) }),
  }),
  route({
    id: 'getGroup',
    method: 'GET',
    path: '/groups/{name}',
    tag: 'groups',
    summary: 'A group',
    params: groupParams,
    response: { status: 200, schema: s.group, etag: true },
    handle: async (c) => {
      const g = await groupOf(c.admin, c.params.name);
      return { status: 200, body: g, etag: etagOf(g) };
    },
  }),
  route({
    id: 'putGroup',
    method: 'PUT',
    path: '/groups/{name}',
    tag: 'groups',
    summary: 'Create a group, or replace its description and precedence (If-Match required when it exists)',
    params: groupParams,
    body: s.groupBody,
    ifMatch: 'required',
    response: { status: 200, schema: s.group, etag: true },
    handle: (c) =>
      writeResource(c, {
        ...groupTarget(c.params.name),
        save: async (admin) => void (await admin.groups.put({ group: { name: c.params.name, ...c.body } })),
      }),
  }),
  route({
    id: 'deleteGroup',
    method: 'DELETE',
    path: '/groups/{name}',
    tag: 'groups',
    summary: 'Delete a group (its members stay, without it)',
    params: groupParams,
    ifMatch: 'required',
    response: { status: 204 },
    handle: (c) => deleteResource(c, { ...groupTarget(c.params.name), remove: async (admin, before) => void (await admin.groups.delete({ name: before.name })) }),
  }),
  route({
    id: 'listGroupMembers',
    method: 'GET',
    path: '/groups/{name}/members',
    tag: 'groups',
    summary: "A group's members' usernames",
    params: groupParams,
    query: s.pageQuery,
    response: { status: 200, schema: s.page(z.string()) },
    handle: async (c) => {
      await groupOf(c.admin, c.params.name);
      const found = await c.admin.groups.members({ name: c.params.name, after: cursorKey(c.query.cursor, 'string'), limit: c.query.limit });
      return { status: 200, body: pageOut(found, (u) => u) };
    },
  }),
  route({
    id: 'addGroupMember',
    method: 'PUT',
    path: '/groups/{name}/members/{username}',
    tag: 'groups',
    summary: 'Add a user to a group (nothing changes when they are in it)',
    params: memberParams,
    response: { status: 204 },
    handle: (c) => setMembership(c, true),
  }),
  route({
    id: 'removeGroupMember',
    method: 'DELETE',
    path: '/groups/{name}/members/{username}',
    tag: 'groups',
    summary: 'Take a user out of a group (nothing changes when they are not in it)',
    params: memberParams,
    response: { status: 204 },
    handle: (c) => setMembership(c, false),
  }),
];
