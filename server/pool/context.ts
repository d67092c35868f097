import type { Kysely } from 'kysely';
import type { PoolSettings } from '../config/seed';
import type { Database } from '../db/schema';
import type { MailBrand } from '../mail/html';
import type { OutboxLink } from '../outbox/store';
import type { CustomText } from './custom-text';
import type { Methods } from './methods/method';
import type { ProviderRevocation } from './revocation';

/** What every pool operation needs; built once by createPool. */
export interface PoolContext {
  db: Kysely<Database>;
  settings: () => Promise<PoolSettings>;
  /** Where mail and texts are written (the transactional outbox); a worker delivers them. */
  outbox: OutboxLink;
  secret: string; // server-side pepper for code hashes
  now: () => number;
  /** Ends the provider's sessions, grants and tokens of a user (supplied by the runtime). */
  revocation: ProviderRevocation;
  /** The ways to prove who one is (methods/registry.ts unless a deployment or test adds some). */
  methods: Methods;
  /**
   * The pool theme's brand colour and logo for the HTML part of e-mails; plain text only without
   * it. Read only when a mail is rendered, through `on` (the context's connection and settings:
   * inside a transaction, the transaction's, as the pool's own connection would wait for it).
   */
  mailBrand?: (on: Pick<PoolContext, 'db' | 'settings'>) => Promise<MailBrand>;
  /** Operators' custom text, merged into the catalogues mail and texts are written from. */
  customText?: CustomText;
  /**
   * The app client a sign-in flow is for, bound by `pool.flow.run`: its `require_mfa` reaches the
   * second-factor gate, and its id the sign-in events. Absent outside a flow.
   */
  clientId?: string;
  /** The caller's address, bound with `clientId` where the flow's caller gives it (for events). */
  ip?: string;
}
