import type { PoolContext } from '../context';
import { locksRows } from './lock';
import { pageOf, type Page } from './page';

/** A group as the pool config writes it (`groups` of the config file). */
export interface GroupRecord {
  name: string;
  description?: string;
  precedence?: number;
}

const record = (r: { name: string; description: string | null; precedence: number | null }): GroupRecord => ({
  name: r.name,
  ...(r.description !== null ? { description: r.description } : {}),
  ...(r.precedence !== null ? { precedence: Number(r.precedence) } : {}),
});

export async function getGroup(ctx: PoolContext, name: string): Promise<GroupRecord | undefined> {
  const q = ctx.db.selectFrom('groups').select(['name', 'description', 'precedence']).where('name', '=', name);
  const row = await (locksRows(ctx) ? q.forUpdate() : q).executeTakeFirst();
  return row && record(row);
}

/** By name; `after`: the name the previous page ended at. */
export async function listGroups(ctx: PoolContext, o: { after?: string; limit: number }): Promise<Page<GroupRecord>> {
  let q = ctx.db.selectFrom('groups').select(['name', 'description', 'precedence']);
  if (o.after !== undefined) q = q.where('name', '>', o.after);
  const rows = await q.orderBy('name').limit(o.limit + 1).execute();
  return pageOf(rows, o.limit, (r) => r.name, record);
}

/** Creates or replaces the group's fields (its members stay). */
export async function putGroup(ctx: PoolContext, g: GroupRecord): Promise<void> {
  const values = { description: g.description ?? null, precedence: g.precedence ?? null };
  await ctx.db
    .insertInto('groups')
    .values({ name: g.name, created_at: ctx.now(), ...values })
    .onConflict((oc) => oc.column('name').doUpdateSet(values))
    .execute();
}

export async function deleteGroup(ctx: PoolContext, name: string): Promise<void> {
  await ctx.db.deleteFrom('user_groups').where('group_name', '=', name).execute();
  await ctx.db.deleteFrom('groups').where('name', '=', name).execute();
}

/** The usernames in a group, by lower-case username; `after`: where the previous page ended. */
export async function groupMembers(ctx: PoolContext, name: string, o: { after?: string; limit: number }): Promise<Page<string>> {
  let q = ctx.db
    .selectFrom('user_groups')
    .innerJoin('users', 'users.id', 'user_groups.user_id')
    .select(['users.username', 'users.username_lower'])
    .where('user_groups.group_name', '=', name);
  if (o.after !== undefined) q = q.where('users.username_lower', '>', o.after);
  const rows = await q.orderBy('users.username_lower').limit(o.limit + 1).execute();
  return pageOf(rows, o.limit, (r) => r.username_lower, (r) => r.username);
}

export async function addMember(ctx: PoolContext, name: string, userId: string): Promise<void> {
  await ctx.db
    .insertInto('user_groups')
    .values({ user_id: userId, group_name: name })
    .onConflict((oc) => oc.columns(['user_id', 'group_name']).doNothing())
    .execute();
}

export async function removeMember(ctx: PoolContext, name: string, userId: string): Promise<void> {
  await ctx.db.deleteFrom('user_groups').where('group_name', '=', name).where('user_id', '=', userId).execute();
}
