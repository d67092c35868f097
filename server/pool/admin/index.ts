import type { PoolSettings, UserSeed } from '../../config/seed';
import { readPoolSettings, writePoolSettings } from './settings';
import { portableTheme } from '../themes/portable';
import { deleteTheme, discardDraft, getDraft, getTheme, getVersion, listThemeDrafts, listThemes, listVersions, previewToken, publishDraft, rollBack, saveTheme, saveThemeDraft } from './themes';
import { deleteText, localeTexts, previewTexts, putText, replaceLocale } from './custom-text';
import type { ThemeInput } from '../../../themes/schema';
import type { PoolContext } from '../context';
import { revokeEverything, setUserEnabled } from '../revocation';
import { inTransaction } from '../transaction';
import { hit, type Limit } from '../rate-limit';
import { listAudit, recordAudit, type Actor, type AuditFilter } from './audit';
import { listEvents, type EventFilter } from './events';
import { addMember, deleteGroup, getGroup, groupMembers, listGroups, putGroup, removeMember, type GroupRecord } from './groups';
import { createUser, deleteUser, invitationOf, inviteUser, preHash, type PreHashed, factorsOf, patchUser, resetMfa, resetUserPassword, searchUsers, sessionsOf, setPassword, userRecordOf, userRowByName, type UserPatch, type UserQuery } from './users';
import type { UserRow } from '../users';
import { listIdentities } from '../identities';
import type { ClientInput } from '../../config/seed';
import type { IdentityProviderConfig } from '../../config/identity-providers';
import type { ResourceServer } from '../../config/resource-servers';
import type { AppClient } from '../clients';
import { listResourceServers } from '../resource-servers';
import { createClient, deleteClient, getClient, listClients, replaceClient, rotateClientSecret } from './clients';
import { deleteProvider, getProvider, listProviders, putProvider } from './identity-providers';
import { deleteResourceServer, getResourceServer, putResourceServer } from './resource-servers';

export type { Actor, AuditEntry, AuditFilter } from './audit';
export type { PoolEvent, EventFilter } from './events';
export type { GroupRecord } from './groups';
export type { AdminRefusal, FactorSummary, RefusalProblem, UserPatch, UserQuery, UserRecord } from './users';
export type { Page } from './page';
export type { PublishedTheme } from './themes';
export type { ThemeDraft, ThemeVersion } from '../themes/store';
export { BUILT_IN_CLIENTS, clientRecordOf, type ClientRecord } from './clients';
export { providerRecordOf } from './identity-providers';
export { isBuiltInResourceServer } from './resource-servers';
export { decodeCursor } from './page';

/**
 * What an administrator (the admin API, later the console) does to the pool. Users are named by
 * username, as in the pool config. `atomically` runs several operations and their audit row in
 * one transaction.
 */
export function adminFacade(ctx: PoolContext, publicUrl: string) {
  return { ...adminOps(ctx, publicUrl), atomically: <T>(fn: (admin: AdminOps) => Promise<T>) => inTransaction(ctx, (tx) => fn(adminOps(tx, publicUrl))) };
}

/** `publicUrl`: where mailed links (invitations) point. */
function adminOps(ctx: PoolContext, publicUrl: string) {
  return {
    /**
     * Counts a refused credential from `ip` (the admin API's bearer tokens); `allowed` false past
     * `limit`. Kept in the database, so the count holds across instances.
     */
    failedAuthentication: (o: { ip: string; limit: Limit }) => hit(ctx, `admin_auth:ip:${o.ip}`, o.limit),
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
      /** `invite`: no password, and the user is mailed a link to choose one. */
      create: (o: { user: UserSeed & { invite?: boolean }; preHashed?: PreHashed }) => createUser(ctx, o.user, o.preHashed, publicUrl),
      /** Mails a new invitation (the earlier link dies); refused (conflict) for a user with a password or no e-mail. */
      invite: (o: { row: UserRow }) => inviteUser(ctx, o.row, publicUrl),
      invitation: (o: { row: UserRow }) => invitationOf(ctx, o.row),
      patch: (o: { row: UserRow; patch: UserPatch }) => patchUser(ctx, o.row, o.patch),
      setPassword: (o: { row: UserRow; password: string; permanent: boolean; preHashed?: PreHashed }) => setPassword(ctx, o.row, o.password, o.permanent, o.preHashed),
      setEnabled: (o: { userId: string; enabled: boolean }) => setUserEnabled(ctx, o.userId, o.enabled),
      signOutEverywhere: (o: { userId: string }) => revokeEverything(ctx, o.userId),
      resetMfa: (o: { userId: string }) => resetMfa(ctx, o.userId),
      /** AdminResetUserPassword: RESET_REQUIRED, every sign-in ended, a reset code mailed. */
      resetPassword: (o: { row: UserRow }) => resetUserPassword(ctx, o.row),
      delete: (o: { userId: string }) => deleteUser(ctx, o.userId),
      factors: (o: { userId: string }) => factorsOf(ctx, o.userId),
      sessions: (o: { userId: string }) => sessionsOf(ctx, o.userId),
      identities: (o: { userId: string }) => listIdentities(ctx, o.userId),
    },
    themes: {
      list: () => listThemes(ctx),
      get: (o: { id: string }) => getTheme(ctx, o.id),
      /** Publishes at once (a new version); `by` names the publisher in the history. */
      save: (o: { theme: ThemeInput; by: string }) => saveTheme(ctx, o.theme, o.by),
      /** Refused (conflict) while the pool, a client or another theme names it. */
      delete: (o: { id: string }) => deleteTheme(ctx, o.id),
      draft: (o: { id: string }) => getDraft(ctx, o.id),
      drafts: () => listThemeDrafts(ctx),
      saveDraft: (o: { theme: ThemeInput; by: string }) => saveThemeDraft(ctx, o.theme, o.by),
      discardDraft: (o: { id: string }) => discardDraft(ctx, o.id),
      /** Undefined when the theme has no draft. */
      publish: (o: { id: string; by: string }) => publishDraft(ctx, o.id, o.by),
      versions: (o: { id: string }) => listVersions(ctx, o.id),
      version: (o: { id: string; version: number }) => getVersion(ctx, o.id, o.version),
      /** Undefined when the theme has no such version. */
      rollBack: (o: { id: string; version: number; by: string }) => rollBack(ctx, o.id, o.version, o.by),
      /** A token for the preview screens (`/<locale>/preview/<screen>?preview=<token>`). */
      previewToken: (o: { id: string; draft: boolean }) => previewToken(ctx, o.id, o.draft),
      /** The theme with every stored asset inlined as a data: URL: it applies to any other deployment. */
      portable: (o: { theme: ThemeInput }) => portableTheme(ctx.db, o.theme),
    },
    customText: {
      /** A locale's overrides, by dotted key. */
      list: (o: { locale: string }) => localeTexts(ctx, o.locale),
      put: (o: { locale: string; key: string; text: string }) => putText(ctx, o.locale, o.key, o.text),
      replace: (o: { locale: string; texts: Record<string, string> }) => replaceLocale(ctx, o.locale, o.texts),
      delete: (o: { locale: string; key: string }) => deleteText(ctx, o.locale, o.key),
      /** Unsaved overrides checked and stored for the preview screens; a token that shows them. */
      preview: (o: { locale: string; texts: Record<string, string>; theme?: string }) => previewTexts(ctx, o.locale, o.texts, o.theme),
      /** After a write commits: this instance's screens and mail use it at once (others within a second). */
      refresh: () => ctx.customText?.invalidate(),
    },
    settings: {
      read: () => readPoolSettings(ctx),
      write: (o: { settings: PoolSettings }) => writePoolSettings(ctx, o.settings),
    },
    /** App clients by client_id, as `clients` of the pool config; secrets are made here and shown once. */
    clients: {
      get: (o: { clientId: string }) => getClient(ctx, o.clientId),
      list: (o: { after?: string; limit: number }) => listClients(ctx, o),
      create: (o: { client: ClientInput }) => createClient(ctx, o.client),
      replace: (o: { before: AppClient; client: ClientInput }) => replaceClient(ctx, o.before, o.client),
      rotateSecret: (o: { client: AppClient }) => rotateClientSecret(ctx, o.client),
      delete: (o: { clientId: string }) => deleteClient(ctx, o.clientId),
    },
    /** Resource servers by identifier (the built-in `foyer` is listed, never changed). */
    resourceServers: {
      list: () => listResourceServers(ctx.db),
      get: (o: { identifier: string }) => getResourceServer(ctx, o.identifier),
      put: (o: { resourceServer: ResourceServer; before?: ResourceServer }) => putResourceServer(ctx, o.resourceServer, o.before),
      delete: (o: { identifier: string }) => deleteResourceServer(ctx, o.identifier),
    },
    /** Outside identity providers by name, secrets sealed (the caller shows them as providerRecordOf does). */
    identityProviders: {
      list: () => listProviders(ctx),
      get: (o: { name: string }) => getProvider(ctx, o.name),
      put: (o: { provider: IdentityProviderConfig; before?: IdentityProviderConfig }) => putProvider(ctx, o.provider, o.before),
      delete: (o: { name: string }) => deleteProvider(ctx, o.name),
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
