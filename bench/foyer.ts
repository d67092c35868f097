/**
 * Starts and stops one Foyer server for the bench, the way e2e/fixtures/foyer.ts does (that file
 * is not imported: it builds Playwright fixtures at import time).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const tsxBin = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const READY = /^Foyer listening on/m;
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
/** `.next/` is rebuilt by hand in this repository; while it is missing, wait and try again. */
const NO_BUILD = /Could not find a production build/;
const NO_BUILD_RETRIES = 3;
const NO_BUILD_WAIT_MS = 60_000;

export type BenchServer = {
  url: string;
  /** The server's process group (tsx and the node process it runs), for CPU accounting. */
  pgid: number;
  logs(): string;
  stop(): Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

const live = new Set<{ child: ChildProcess; dirs: string[] }>();
process.once('exit', () => {
  // Last resort (an uncaught error, process.exit): never leave a server behind.
  for (const r of live) {
    killGroup(r.child, 'SIGKILL');
    for (const d of r.dirs) fs.rmSync(d, { recursive: true, force: true });
  }
});

async function startOnce(config: (url: string) => object, log: (s: string) => void): Promise<BenchServer | { retry: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'foyer-bench-data-'));
  const configDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'foyer-bench-config-'));
  const configPath = path.join(configDir, 'foyer.json');
  await fs.promises.writeFile(configPath, JSON.stringify(config(url), null, 2));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    FOYER_CONFIG: configPath,
    NODE_ENV: 'production',
  };
  delete env.SMTP_URL;
  delete env.DATABASE_URL; // always the SQLite database in the fresh DATA_DIR

  const child = spawn(tsxBin, ['server/main.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const run = { child, dirs: [dataDir, configDir] };
  live.add(run);
  let output = '';
  const outcome = await new Promise<'ready' | 'timeout' | 'exited'>((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), START_TIMEOUT_MS);
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      output += chunk;
      if (READY.test(output)) {
        clearTimeout(timer);
        resolve('ready');
      }
    });
    child.stderr!.on('data', (chunk: string) => (output += chunk));
    child.once('error', (e) => {
      output += `\n${e.message}`;
      clearTimeout(timer);
      resolve('exited');
    });
    child.once('close', () => {
      clearTimeout(timer);
      resolve('exited');
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
        child.kill('SIGTERM'); // tsx relays it; the server closes its database and exits
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS);
        await closed;
        clearTimeout(timer);
      }
      killGroup(child, 'SIGKILL'); // anything left in the group
      live.delete(run);
      for (const d of run.dirs) await fs.promises.rm(d, { recursive: true, force: true });
    })());

  if (outcome === 'ready') return { url, pgid: child.pid!, logs: () => output, stop };
  await stop();
  if (outcome === 'exited' && NO_BUILD.test(output)) return { retry: output };
  if (outcome === 'exited' && /EADDRINUSE/.test(output)) return { retry: output };
  const what = outcome === 'timeout' ? `did not print "Foyer listening on" within ${START_TIMEOUT_MS / 1000} s` : 'exited before it was ready';
  log(output);
  throw new Error(`Foyer ${what}. Output:\n${output.trim() || '(none)'}`);
}

/** Starts `tsx server/main.ts` on a free port with a fresh data directory and the given pool config. */
export async function startBenchServer(config: (url: string) => object, log: (s: string) => void = () => {}): Promise<BenchServer> {
  for (let attempt = 1; ; attempt++) {
    const r = await startOnce(config, log);
    if (!('retry' in r)) return r;
    if (attempt > NO_BUILD_RETRIES) throw new Error(`Foyer did not start:\n${r.retry.trim()}`);
    if (NO_BUILD.test(r.retry)) {
      log(`No production build in .next/ (it is being rebuilt?); retrying in ${NO_BUILD_WAIT_MS / 1000} s...`);
      await new Promise((resolve) => setTimeout(resolve, NO_BUILD_WAIT_MS));
    }
  }
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
