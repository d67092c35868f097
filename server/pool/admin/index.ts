import type { PoolSettings, UserSeed } from '../../config/seed';
import { readPoolSettings, writePoolSettings } from './settings';
import { deleteTheme, getTheme, listThemes, saveTheme } from './themes';
import { deleteText, localeTexts, putText, replaceLocale } from './custom-text';
import type { ThemeInput } from '../../../themes/schema';
import type { PoolContext } from '../context';
import { revokeEverything, setUserEnabled } from '../revocation';
import { inTransaction } from '../transaction';
import { listAudit, recordAudit, type Actor, type AuditFilter } from './audit';
import { listEvents, type EventFilter } from './events';
import { addMember, deleteGroup, getGroup, groupMembers, listGroups, putGroup, removeMember, type GroupRecord } from './groups';
import { createUser, deleteUser, preHash, type PreHashed, factorsOf, patchUser, resetMfa, searchUsers, sessionsOf, setPassword, userRecordOf, userRowByName, type UserPatch, type UserQuery } from './users';
import type { UserRow } from '../users';
import { listIdentities } from '../identities';

export type { Actor, AuditEntry, AuditFilter } from './audit';
export type { PoolEvent, EventFilter } from './events';
export type { GroupRecord } from './groups';
export type { AdminRefusal, FactorSummary, UserPatch, UserQuery, UserRecord } from './users';
export type { Page } from './page';
export { decodeCursor } from './page';

/**
 * What an administrator (the admin API, later the console) does to the pool. Users are named by
 * username, as in the pool config. `atomically` runs several operations and their audit row in
 * one transaction.
 */
export function adminFacade(ctx: PoolContext) {
  return { ...adminOps(ctx), atomically: <T>(fn: (admin: AdminOps) => Promise<T>) => inTransaction(ctx, (tx) => fn(adminOps(tx))) };
}

function adminOps(ctx: PoolContext) {
  return {
    audit: {
      record: (e: { actor: Actor; action: string; resource: { type: string; id: string }; before: unknown; after: unknown; requestId?: string }) => recordAudit(ctx, e),
      list: (o: { filter: AuditFilter; before?: number; limit: number }) => listAudit(ctx, o.filter, o),
    },
    events: {
      list: (o: { filter: EventFilter; before?: number; limit: number }) => listEvents(ctx, o.filter, o),
    },
    users: {
      /** The user's row (locked for the transaction on PostgreSQL), to act on by id. */
      row: (o: { username: string }) => userRowByName(ctx, o.username),
      record: (o: { row: UserRow }) => userRecordOf(ctx, o.row),
      search: (o: { query: UserQuery; after?: string; limit: number }) => searchUsers(ctx, o.query, o),
      /** Hashes a password outside the write that uses it (give the result to `create` or `setPassword`). */
      preHash: (o: { password: string | undefined }) => preHash(o.password),
      create: (o: { user: UserSeed; preHashed?: PreHashed }) => createUser(ctx, o.user, o.preHashed),
      patch: (o: { row: UserRow; patch: UserPatch }) => patchUser(ctx, o.row, o.patch),
      setPassword: (o: { row: UserRow; password: string; permanent: boolean; preHashed?: PreHashed }) => setPassword(ctx, o.row, o.password, o.permanent, o.preHashed),
      setEnabled: (o: { userId: string; enabled: boolean }) => setUserEnabled(ctx, o.userId, o.enabled),
      signOutEverywhere: (o: { userId: string }) => revokeEverything(ctx, o.userId),
      resetMfa: (o: { userId: string }) => resetMfa(ctx, o.userId),
      delete: (o: { userId: string }) => deleteUser(ctx, o.userId),
      factors: (o: { userId: string }) => factorsOf(ctx, o.userId),
      sessions: (o: { userId: string }) => sessionsOf(ctx, o.userId),
      identities: (o: { userId: string }) => listIdentities(ctx, o.userId),
    },
    themes: {
      list: () => listThemes(ctx),
      get: (o: { id: string }) => getTheme(ctx, o.id),
      save: (o: { theme: ThemeInput }) => saveTheme(ctx, o.theme),
      /** Refused (conflict) while the pool, a client or another theme names it. */
      delete: (o: { id: string }) => deleteTheme(ctx, o.id),
    },
    customText: {
      /** A locale's overrides, by dotted key. */
      list: (o: { locale: string }) => localeTexts(ctx, o.locale),
      put: (o: { locale: string; key: string; text: string }) => putText(ctx, o.locale, o.key, o.text),
      replace: (o: { locale: string; texts: Record<string, string> }) => replaceLocale(ctx, o.locale, o.texts),
      delete: (o: { locale: string; key: string }) => deleteText(ctx, o.locale, o.key),
      /** After a write commits: this instance's screens and mail use it at once (others within a second). */
      refresh: () => ctx.customText?.invalidate(),
    },
    settings: {
      read: () => readPoolSettings(ctx),
      write: (o: { settings: PoolSettings }) => writePoolSettings(ctx, o.settings),
    },
    groups: {
      get: (o: { name: string }) => getGroup(ctx, o.name),
      list: (o: { after?: string; limit: number }) => listGroups(ctx, o),
      put: (o: { group: GroupRecord }) => putGroup(ctx, o.group),
      delete: (o: { name: string }) => deleteGroup(ctx, o.name),
      members: (o: { name: string; after?: string; limit: number }) => groupMembers(ctx, o.name, o),
      addMember: (o: { name: string; userId: string }) => addMember(ctx, o.name, o.userId),
      removeMember: (o: { name: string; userId: string }) => removeMember(ctx, o.name, o.userId),
    },
  };
}

export type AdminOps = ReturnType<typeof adminOps>;
