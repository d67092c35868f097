import type { PoolContext } from './context';

/**
 * Runs `fn` in one transaction, or in the caller's when `ctx` is already in one, so a change and
 * the messages it queues are written together: a rollback leaves neither. Once the outermost
 * transaction commits, this process's outbox worker is nudged if anything was queued.
 */
export async function inTransaction<T>(ctx: PoolContext, fn: (tx: PoolContext) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  // Read before: inside, a read through the pool's own connection would wait for this transaction
  // to end (SQLite has one connection; on PostgreSQL it would be outside it anyway). The mail's
  // theme is read inside, through the transaction, and only when a mail is rendered.
  const settings = await ctx.settings();
  let queued = false;
  const result = await ctx.db.transaction().execute((db) =>
    fn({ ...ctx, db, settings: async () => settings, outbox: { sealer: ctx.outbox.sealer, kick: () => {
        queued = true;
      } } }),
  );
  if (queued) ctx.outbox.kick();
  return result;
}
