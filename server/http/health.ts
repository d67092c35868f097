import type { ServerResponse } from 'node:http';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

export const HEALTH_PATHS = new Set(['/health/live', '/health/ready']);
const READY_TIMEOUT_MS = 2_000;

/**
 * For load balancers and orchestrators. `live`: the process answers (restart it if not). `ready`:
 * send it traffic — the database answers and the instance is not shutting down.
 */
export async function answerHealth(path: string, res: ServerResponse, opts: { db: Kysely<Database>; draining: boolean }): Promise<void> {
  let status = 200;
  let body: Record<string, unknown> = { status: 'ok' };
  if (path === '/health/ready') {
    if (opts.draining) {
      status = 503;
      body = { status: 'draining' };
    } else {
      const problem = await databaseProblem(opts.db);
      if (problem) {
        status = 503;
        body = { status: 'unavailable', database: problem };
      }
    }
  }
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  res.end(JSON.stringify(body));
}

async function databaseProblem(db: Kysely<Database>): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), READY_TIMEOUT_MS);
    });
    await Promise.race([sql`select 1`.execute(db), timeout]);
    return undefined;
  } catch (e) {
    // The reason class only: driver messages can carry host names and user names.
    return (e as Error).message === 'timed out' ? 'timeout' : 'error';
  } finally {
    clearTimeout(timer);
  }
}
