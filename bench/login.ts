/**
 * `npm run bench`: how many full sign-ins Foyer completes per second, against how many raw argon2id
 * verifications the same machine does per second, plus refresh-token grants, login-page renders and
 * discovery requests. See bench/README.md.
 *
 *   npm run bench -- --seconds 10 --concurrency 4,8
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hashPassword, verifyPassword } from '../server/pool/passwords/hash';
import { groupCpuSeconds, startBenchServer, type BenchServer } from './foyer';
import { Browser, Client, multipart, parseForm, type Res } from './http';

// ---------------------------------------------------------------------------------------------
// Settings

const HELP = `Usage: npm run bench -- [--seconds N] [--concurrency 4,8]

  --seconds N        length of each measured phase in seconds (default 10; argon2 gets N/2)
  --concurrency L    requests in flight for logins and refresh grants, comma-separated (default 4,8);
                     page renders and discovery use the largest value
`;

function parseArgs(argv: string[]) {
  let seconds = 10;
  let concurrency = [4, 8];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n\n${HELP}`);
      return v;
    };
    if (flag === '--seconds') {
      seconds = Number(value());
      if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw new Error(`--seconds must be a number of seconds in (0, 600]`);
    } else if (flag === '--concurrency') {
      concurrency = value()
        .split(',')
        .map((s) => Number(s.trim()));
      if (!concurrency.length || concurrency.some((c) => !Number.isInteger(c) || c < 1 || c > 256)) {
        throw new Error('--concurrency must be a comma-separated list of integers in 1..256');
      }
    } else if (flag === '--help' || flag === '-h') {
      process.stdout.write(HELP);
      process.exit(0);
    } else {
      throw new Error(`Unknown argument ${a}\n\n${HELP}`);
    }
  }
  return { seconds, concurrency };
}

const CORES = os.cpus().length;
const PARALLELISM = typeof os.availableParallelism === 'function' ? os.availableParallelism() : CORES;

const CLIENT_ID = 'bench';
const CLIENT_SECRET = randomBytes(24).toString('base64url');
const REDIRECT_URI = 'http://127.0.0.1:9/cb'; // nothing listens there: the bench reads the redirect
const PASSWORD = 'Correct-Horse-Battery-Staple-42';
const USERS = 8;
const username = (worker: number) => `bench${(worker % USERS) + 1}`;
const LIMIT = 1_000_000_000; // rate limits out of the way: every request comes from 127.0.0.1

export function benchConfig() {
  return {
    pool: {
      name: 'Foyer bench',
      sign_in_aliases: ['username', 'email'],
      required_attributes: ['email'],
      lockout: { free_failures: 100, base_seconds: 1, max_seconds: 1 },
      rate_limits: { sign_in_per_ip_per_5_minutes: LIMIT, sign_up_per_ip_per_hour: LIMIT, forgot_password_per_ip_per_hour: LIMIT },
    },
    clients: [{ client_id: CLIENT_ID, client_name: 'Bench', client_secret: CLIENT_SECRET, redirect_uris: [REDIRECT_URI] }],
    users: Array.from({ length: USERS }, (_, i) => ({
      username: `bench${i + 1}`,
      email: `bench${i + 1}@example.test`,
      email_verified: true,
      password: PASSWORD,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// The operations

class StepError extends Error {
  constructor(step: string, res: Res | undefined, detail: string) {
    const body = res ? res.body.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() : '';
    super(`${step}: ${detail}${res ? ` (HTTP ${res.status}${res.headers.location ? `, Location ${res.headers.location}` : ''}${body ? `: ${body.slice(0, 300)}` : ''})` : ''}`);
  }
}

const basic = `Basic ${Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`).toString('base64')}`;
const isRedirect = (s: number) => s === 302 || s === 303 || s === 307;

/** GET /oauth2/authorize in a fresh browser: the login page's path, and the PKCE verifier. */
async function authorize(b: Browser) {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(12).toString('base64url');
  const q = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid email profile',
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const res = await b.get(`/oauth2/authorize?${q}`);
  const loc = res.headers.location;
  if (!isRedirect(res.status) || !loc) throw new StepError('authorize', res, 'expected a redirect to the login page');
  const loginPath = new URL(loc, 'http://x').pathname + new URL(loc, 'http://x').search;
  const uid = new URL(loc, 'http://x').searchParams.get('uid');
  if (!/\/login$/.test(new URL(loc, 'http://x').pathname) || !uid) throw new StepError('authorize', res, 'the redirect is not to /<locale>/login?uid=');
  return { verifier, state, loginPath, uid };
}

async function tokenRequest(c: Client, params: Record<string, string>, step: string) {
  const res = await c.request('POST', '/oauth2/token', { authorization: basic, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, new URLSearchParams(params).toString());
  if (res.status !== 200) throw new StepError(step, res, 'expected 200');
  const json = JSON.parse(res.body) as { access_token?: string; id_token?: string; refresh_token?: string };
  if (!json.access_token || !json.refresh_token) throw new StepError(step, res, 'no access_token/refresh_token in the answer');
  return json as { access_token: string; id_token?: string; refresh_token: string };
}

/** When set, login() adds each step's duration (ms) here. */
let stepTimes: Map<string, number[]> | undefined;
function lap(step: string, since: number): number {
  const now = performance.now();
  if (stepTimes) {
    const list = stepTimes.get(step) ?? [];
    list.push(now - since);
    stepTimes.set(step, list);
  }
  return now;
}

/** One complete authorization-code sign-in, as a browser without JavaScript does it. */
export async function login(c: Client, worker: number): Promise<string> {
  const b = new Browser(c);
  let t = performance.now();
  const { verifier, state, loginPath, uid } = await authorize(b);
  t = lap('authorize', t);

  const page = await b.get(loginPath);
  t = lap('login page', t);
  if (page.status !== 200) throw new StepError('login page', page, 'expected 200');
  const form = parseForm(page.body, 'login-form');
  if (!form) throw new StepError('login page', page, 'no <form data-testid="login-form">');
  if (form.method !== 'POST' || !/multipart\/form-data/i.test(form.enctype ?? '')) {
    throw new StepError('login page', undefined, `the form is ${form.method} ${form.enctype ?? '(no enctype)'}, expected POST multipart/form-data`);
  }
  const target = form.action ? new URL(form.action, `${c.origin}${loginPath}`) : new URL(loginPath, c.origin);

  const { body, contentType } = multipart([...form.hidden, ['identifier', username(worker)], ['password', PASSWORD]]);
  const posted = await b.post(target.pathname + target.search, body, { 'content-type': contentType, origin: c.origin, accept: 'text/html' });
  t = lap('credentials post', t);
  const resume = posted.headers.location;
  if (!isRedirect(posted.status) || !resume) throw new StepError('sign-in form post', posted, 'expected a 303 to /oauth2/authorize/<uid>');
  const resumeUrl = new URL(resume, c.origin);
  if (resumeUrl.origin !== c.origin || resumeUrl.pathname !== `/oauth2/authorize/${uid}`) {
    throw new StepError('sign-in form post', posted, `expected a redirect to /oauth2/authorize/${uid}`);
  }

  const back = await b.get(resumeUrl.pathname + resumeUrl.search);
  t = lap('authorize resume', t);
  const cb = back.headers.location;
  if (!isRedirect(back.status) || !cb || !cb.startsWith(`${REDIRECT_URI}?`)) throw new StepError('authorize resume', back, `expected a redirect to ${REDIRECT_URI}?code=`);
  const params = new URL(cb).searchParams;
  const code = params.get('code');
  if (!code) throw new StepError('authorize resume', back, `no code in the redirect (error=${params.get('error')}: ${params.get('error_description')})`);
  if (params.get('state') !== state) throw new StepError('authorize resume', back, 'state does not match');

  const tokens = await tokenRequest(c, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }, 'token (authorization_code)');
  lap('token', t);
  return tokens.refresh_token;
}

export async function refresh(c: Client, token: string): Promise<string> {
  const tokens = await tokenRequest(c, { grant_type: 'refresh_token', refresh_token: token }, 'token (refresh_token)');
  return tokens.refresh_token;
}

/** A browser with a live interaction, for rendering its login page again and again. */
export async function openLoginPage(c: Client) {
  const b = new Browser(c);
  const { loginPath } = await authorize(b);
  const render = async () => {
    const res = await b.get(loginPath);
    if (res.status !== 200 || !res.body.includes('data-testid="login-form"')) throw new StepError('login page render', res, 'expected 200 with the login form');
  };
  await render(); // also takes the CSRF cookie, as a browser would before any re-render
  return render;
}

export async function discovery(c: Client) {
  const res = await c.request('GET', '/.well-known/openid-configuration', { accept: 'application/json' });
  if (res.status !== 200 || !res.body.includes('"issuer"')) throw new StepError('discovery', res, 'expected 200 with the discovery document');
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** Busy and total jiffies of the whole machine, from /proc/stat (Linux only). */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = cpu[3] + (cpu[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export type Phase = {
  name: string;
  concurrency: number;
  seconds: number;
  count: number;
  errors: number;
  firstErrors: string[];
  perSecond: number;
  latencyMs: { p50: number; p95: number; max: number };
  /** Average cores busy during the phase: the server's process group, this process, everything else. */
  cpu: { server?: number; bench: number; other?: number };
  /**
   * Operations per CPU-second of whoever does the work (the server; for argon2, this process): a
   * per-core figure that CPU taken by other processes on the machine hardly changes.
   */
  perCpuSecond?: number;
  /** Median duration of each step of a login, in ms (login phases only). */
  stepsP50Ms?: Record<string, number>;
};

let server: BenchServer | undefined;

async function measure(
  name: string,
  seconds: number,
  concurrency: number,
  worker: (w: number) => Promise<() => Promise<void>>,
  opts: { cpuOf?: 'server' | 'bench'; steps?: boolean } = {},
): Promise<Phase> {
  // Per-worker setup (e.g. a sign-in for a refresh token) is not timed.
  const ops = await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  stepTimes = opts.steps ? new Map() : undefined;
  const latencies: number[] = [];
  const firstErrors: string[] = [];
  let errors = 0;

  const cpu0 = process.cpuUsage();
  const srv0 = server ? groupCpuSeconds(server.pgid) : undefined;
  const m0 = machineTicks();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    ops.map(async (op) => {
      while (performance.now() < deadline) {
        const s = performance.now();
        try {
          await op();
          latencies.push(performance.now() - s);
        } catch (e) {
          errors++;
          if (firstErrors.length < 3) firstErrors.push((e as Error).message);
          if (errors >= 20 && errors > latencies.length) throw new Error(`${name}: ${errors} errors and only ${latencies.length} successes; first: ${firstErrors[0]}`);
        }
      }
    }),
  );
  // Operations still in flight at the deadline finish and count, and the time runs until they do.
  const elapsed = (performance.now() - t0) / 1000;
  const steps = stepTimes;
  stepTimes = undefined;
  const cpu1 = process.cpuUsage(cpu0);
  const srv1 = server ? groupCpuSeconds(server.pgid) : undefined;
  const m1 = machineTicks();

  const benchCores = (cpu1.user + cpu1.system) / 1e6 / elapsed;
  const serverCpuSeconds = srv0 !== undefined && srv1 !== undefined ? srv1 - srv0 : undefined;
  const serverCores = serverCpuSeconds !== undefined ? serverCpuSeconds / elapsed : undefined;
  const machineCores = m0 && m1 && m1.total > m0.total ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * CORES : undefined;
  const other = machineCores !== undefined ? Math.max(0, machineCores - benchCores - (serverCores ?? 0)) : undefined;

  latencies.sort((a, b) => a - b);
  const pct = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] : NaN);
  const count = latencies.length;
  const workCpuSeconds = (opts.cpuOf ?? 'server') === 'server' ? serverCpuSeconds : (cpu1.user + cpu1.system) / 1e6;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    name,
    concurrency,
    seconds: round(elapsed, 2),
    count,
    errors,
    firstErrors,
    perSecond: round(count / elapsed, 1),
    latencyMs: { p50: round(pct(50), 1), p95: round(pct(95), 1), max: round(latencies[latencies.length - 1] ?? NaN, 1) },
    cpu: { server: serverCores !== undefined ? round(serverCores, 2) : undefined, bench: round(benchCores, 2), other: other !== undefined ? round(other, 2) : undefined },
    perCpuSecond: workCpuSeconds ? round(count / workCpuSeconds, 1) : undefined,
    stepsP50Ms: steps ? Object.fromEntries([...steps].map(([k, v]) => [k, round(median(v), 1)])) : undefined,
  };
}

function round(n: number, digits: number) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

// ---------------------------------------------------------------------------------------------
// Reporting

function table(rows: Phase[]): string {
  const head = ['phase', 'in flight', 'ops', 'errors', 'ops/s', 'p50 ms', 'p95 ms', 'cores: server', 'bench', 'other', 'ops/CPU-s'];
  const fmt = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : String(n));
  const body = rows.map((r) => [r.name, String(r.concurrency), String(r.count), String(r.errors), fmt(r.perSecond), fmt(r.latencyMs.p50), fmt(r.latencyMs.p95), fmt(r.cpu.server), fmt(r.cpu.bench), fmt(r.cpu.other), fmt(r.perCpuSecond)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

const log = (s: string) => process.stderr.write(`${s}\n`);

async function main() {
  const { seconds, concurrency } = parseArgs(process.argv.slice(2));
  const maxC = Math.max(...concurrency);
  const started = new Date();
  log(`Foyer bench: ${CORES} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), node ${process.version}, ${seconds} s per phase, logins/refresh at ${concurrency.join(', ')} in flight`);
  log(`load average before starting: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const stopServer = async () => {
    const s = server;
    server = undefined;
    if (s) await s.stop();
  };
  let interrupted = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      interrupted = true;
      log(`\n${sig}: stopping the server...`);
      void stopServer().finally(() => process.exit(130));
    });
  }

  try {
    log('starting Foyer...');
    const t = performance.now();
    server = await startBenchServer(benchConfig);
    log(`Foyer is up at ${server.url} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    const client = new Client(server.url);

    // Warm-up, not measured: first renders, JIT, database pages.
    log('warming up...');
    {
      const tokens = [] as string[];
      for (let i = 0; i < 3; i++) tokens.push(await login(client, i));
      let rt = tokens[0];
      for (let i = 0; i < 30; i++) rt = await refresh(client, rt);
      const render = await openLoginPage(client);
      for (let i = 0; i < 30; i++) await render();
      for (let i = 0; i < 30; i++) await discovery(client);
    }

    const phases: Phase[] = [];
    const run = async (p: Promise<Phase>) => {
      const r = await p;
      phases.push(r);
      log(`  ${r.name} x${r.concurrency}: ${r.perSecond}/s (${r.count} in ${r.seconds} s${r.errors ? `, ${r.errors} errors: ${r.firstErrors[0]}` : ''})`);
      return r;
    };

    // (a) The hash limit: raw argon2id verifications, one per core at a time, in this process
    // while the server is idle.
    log(`argon2id verifications, ${PARALLELISM} at a time...`);
    const stored = await hashPassword(PASSWORD);
    if (!(await verifyPassword(stored, PASSWORD))) throw new Error('verifyPassword rejected the right password');
    const argon = await run(
      measure('argon2id verify', seconds / 2, PARALLELISM, async () => async () => {
        if (!(await verifyPassword(stored, PASSWORD))) throw new Error('verifyPassword returned false');
      }, { cpuOf: 'bench' }),
    );

    // (b) Full sign-ins: authorize, login page, credentials, code, token.
    const logins: Phase[] = [];
    for (const c of concurrency) {
      log(`full logins, ${c} in flight...`);
      logins.push(await run(measure('login', seconds, c, async (w) => async () => void (await login(client, w)), { steps: true })));
    }

    // (c) Refresh grants: every worker rotates its own token chain.
    const refreshes: Phase[] = [];
    for (const c of concurrency) {
      log(`refresh-token grants, ${c} in flight...`);
      refreshes.push(
        await run(
          measure('refresh grant', seconds, c, async (w) => {
            let token = await login(client, w);
            return async () => {
              token = await refresh(client, token);
            };
          }),
        ),
      );
    }

    // (d) Login-page renders of a live interaction, and (e) discovery for reference.
    log(`login-page renders, ${maxC} in flight...`);
    const renders = await run(measure('login page render', seconds, maxC, () => openLoginPage(client)));
    log(`discovery documents, ${maxC} in flight...`);
    const disco = await run(measure('discovery', seconds, maxC, async () => () => discovery(client)));

    client.close();
    const logs = server.logs();
    await stopServer();

    // Ratios and goals.
    const bestLogin = logins.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    const bestRefresh = refreshes.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    const loginRatio = round(bestLogin.perSecond / argon.perSecond, 3);
    const refreshPerCore = round(bestRefresh.perSecond / CORES, 1);
    const bestCpuLogin = Math.max(...logins.map((l) => l.perCpuSecond ?? 0));
    const cpuRatio = argon.perCpuSecond && bestCpuLogin ? round(bestCpuLogin / argon.perCpuSecond, 3) : undefined;
    const goals = {
      logins_vs_hash_limit: { goal: 0.8, measured: loginRatio, met: loginRatio >= 0.8 },
      refresh_grants_per_core: { goal: 1500, measured: refreshPerCore, met: refreshPerCore >= 1500 },
    };

    const out = process.stdout;
    out.write(`\n${table(phases)}\n\n`);
    out.write(`cores: average CPU cores busy during the phase (server = Foyer's process group, bench = this process, other = everything else on the machine)\n\n`);
    for (const l of logins) out.write(`logins / argon2id verifications (${l.concurrency} in flight): ${l.perSecond} / ${argon.perSecond} = ${round(l.perSecond / argon.perSecond, 3)}\n`);
    out.write(`best: ${loginRatio}  (goal >= 0.8: ${goals.logins_vs_hash_limit.met ? 'met' : 'not yet'})\n`);
    if (cpuRatio !== undefined) out.write(`per CPU-second instead of per second (less sensitive to other load): ${bestCpuLogin} / ${argon.perCpuSecond} = ${cpuRatio}\n`);
    for (const l of logins) {
      const steps = Object.entries(l.stepsP50Ms ?? {}).map(([k, v]) => `${k} ${v}`);
      out.write(`login steps, median ms (${l.concurrency} in flight): ${steps.join(', ')}\n`);
    }
    for (const r of refreshes) out.write(`refresh grants per core (${r.concurrency} in flight): ${r.perSecond} / ${CORES} cores = ${round(r.perSecond / CORES, 1)}/s per core${r.perCpuSecond ? `; ${r.perCpuSecond} per server CPU-second` : ''}\n`);
    out.write(`best: ${refreshPerCore}/s per core  (goal >= 1500: ${goals.refresh_grants_per_core.met ? 'met' : 'not yet'})\n`);
    out.write(`login-page renders: ${renders.perSecond}/s; discovery: ${disco.perSecond}/s\n`);
    const other = Math.max(...phases.map((p) => p.cpu.other ?? 0));
    if (other >= 0.25) out.write(`note: up to ${other} cores were busy with other processes during a phase; the figures are lower than on an idle machine\n`);

    const result = {
      date: started.toISOString(),
      machine: { cores: CORES, parallelism: PARALLELISM, cpu: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}`, loadavg_before: os.loadavg() },
      settings: { seconds, concurrency, users: USERS, uv_threadpool_size: Number(process.env.UV_THREADPOOL_SIZE ?? 4) },
      argon2: argon,
      logins,
      refresh_grants: refreshes,
      login_page_renders: renders,
      discovery: disco,
      ratios: {
        logins_per_argon2_verification: loginRatio,
        logins_per_argon2_verification_per_cpu_second: cpuRatio,
        refresh_grants_per_second_per_core: refreshPerCore,
        refresh_grants_per_server_cpu_second: bestRefresh.perCpuSecond,
        per_concurrency: {
          logins_per_argon2_verification: Object.fromEntries(logins.map((l) => [l.concurrency, round(l.perSecond / argon.perSecond, 3)])),
          refresh_grants_per_second_per_core: Object.fromEntries(refreshes.map((r) => [r.concurrency, round(r.perSecond / CORES, 1)])),
        },
      },
      goals,
      server_errors: (logs.match(/^.*(Error|error).*$/gm) ?? []).slice(0, 10),
    };
    const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
    await fs.promises.mkdir(dir, { recursive: true });
    const ignore = path.join(dir, '.gitignore');
    if (!fs.existsSync(ignore)) await fs.promises.writeFile(ignore, '*\n!.gitignore\n');
    const file = path.join(dir, 'latest.json');
    await fs.promises.writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
    out.write(`\nwritten to ${path.relative(process.cwd(), file)}\n`);
  } catch (e) {
    if (interrupted) return;
    log(`\nbench failed: ${(e as Error).message}`);
    if (server) log(`\nserver output (last 3000 characters):\n${server.logs().slice(-3000)}`);
    process.exitCode = 1;
  } finally {
    if (!interrupted) await stopServer();
  }
}

// Run only as a script, so that the operations above can be imported (e.g. to profile one of them).
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) void main();
