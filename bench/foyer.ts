/**
 * One Foyer server for the bench, started like the end-to-end tests start theirs.
 */
import fs from 'node:fs';
import { startFoyer } from '../e2e/fixtures/server';

export type BenchServer = {
  url: string;
  /** The server's process group, for CPU accounting. */
  pgid: number;
  logs(): string;
  stop(): Promise<void>;
};

/** Starts `node --import tsx server/main.ts` on a free port with a fresh SQLite data directory and the given pool config. */
export async function startBenchServer(config: (url: string) => object): Promise<BenchServer> {
  // Always the embedded database in a fresh DATA_DIR, and no mail server.
  const foyer = await startFoyer({ config, env: { DATABASE_URL: '' } });
  return { url: foyer.url, pgid: foyer.pid, logs: foyer.logs, stop: foyer.stop };
}

/** CPU seconds (user + system) used so far by every process in a process group; undefined off Linux. */
export function groupCpuSeconds(pgid: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const hz = 100; // USER_HZ; 100 on every Linux architecture Node runs on
  let ticks = 0;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command name (which is in parentheses and may contain spaces).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // rest[0] = state (field 3), so field n is rest[n - 3]: pgrp = 5, utime = 14, stime = 15.
    if (Number(rest[2]) !== pgid) continue;
    ticks += Number(rest[11]) + Number(rest[12]);
  }
  return ticks / hz;
}
