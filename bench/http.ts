/**
 * A small HTTP/1.1 client on node:http with keep-alive, plus a cookie jar: what a browser without
 * JavaScript needs, and cheap on CPU (the bench client shares the machine with the server).
 */
import http from 'node:http';

export { decodeEntities, multipart, parseForm, type HtmlForm } from '../e2e/fixtures/html-form';

export type Res = { status: number; headers: http.IncomingHttpHeaders; body: string };

export class Client {
  readonly origin: string;
  private readonly host: string;
  private readonly port: number;
  private readonly agent: http.Agent;

  constructor(origin: string) {
    const u = new URL(origin);
    this.origin = u.origin;
    this.host = u.hostname;
    this.port = Number(u.port || 80);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  }

  request(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Res> {
    return new Promise((resolve, reject) => {
      const h: Record<string, string | number> = { ...headers };
      if (body !== undefined) h['content-length'] = Buffer.byteLength(body);
      const req = http.request({ host: this.host, port: this.port, method, path, headers: h, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  close() {
    this.agent.destroy();
  }
}

/** One browser's cookies. Paths and domains are ignored: one host, and no two cookies share a name. */
export class Jar {
  private readonly cookies = new Map<string, string>();

  store(res: Res) {
    const set = res.headers['set-cookie'];
    if (!set) return;
    for (const line of set) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v = ''] = a.trim().split('=');
        const key = k.toLowerCase();
        if (key === 'max-age') return Number(v) <= 0;
        if (key === 'expires') return Date.parse(v) <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** A browser session: requests carry the jar's cookies, and every answer's cookies go back in it. */
export class Browser {
  readonly jar = new Jar();
  constructor(private readonly client: Client) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Res> {
    const cookie = this.jar.header();
    const res = await this.client.request('GET', path, { accept: 'text/html', ...(cookie ? { cookie } : {}), ...headers });
    this.jar.store(res);
    return res;
  }

  async post(path: string, body: string | Buffer, headers: Record<string, string>): Promise<Res> {
    const cookie = this.jar.header();
    const res = await this.client.request('POST', path, { ...(cookie ? { cookie } : {}), ...headers }, body);
    this.jar.store(res);
    return res;
  }
}
