import type { Kysely } from 'kysely';
import type { PoolSettings } from '../config/seed';
import type { Database } from '../db/schema';
import type { Mailer } from '../mail/mailer';
import type { SmsSender } from '../sms/sender';

/** What every pool operation needs; built once by createPool. */
export interface PoolContext {
  db: Kysely<Database>;
  settings: () => Promise<PoolSettings>;
  mailer: Mailer;
  sms: SmsSender;
  secret: string; // server-side pepper for code hashes
  now: () => number;
}
