import type { Kysely } from 'kysely';

/**
 * The transactional outbox: every e-mail and text is a row written in the same transaction as the
 * change that needs it, then delivered (and retried) by a worker. The payload holds codes, so it is
 * sealed, and scrubbed once the message is delivered or given up.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const table =
    dialect === 'postgres'
      ? db.schema.createTable('messages').addColumn('id', 'bigserial', (c) => c.primaryKey())
      : db.schema.createTable('messages').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  await table
    .addColumn('channel', 'text', (c) => c.notNull()) // 'email' | 'sms'
    .addColumn('payload', 'text') // sealed JSON; null once delivered or failed
    .addColumn('status', 'text', (c) => c.notNull()) // 'pending' | 'delivered' | 'failed'
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_until', 'bigint')
    .addColumn('claim_token', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .execute();
  // What the worker polls (pending rows by due time), and what the sweeper deletes (by age).
  await db.schema.createIndex('messages_due').on('messages').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('messages_created').on('messages').column('created_at').execute();
}
