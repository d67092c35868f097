import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EndpointAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** How a client authenticates at the token endpoint: oidc-provider wants its registered method. */
export type ClientCredentials = { clientId: string; method: 'none' } | { clientId: string; method: 'client_secret_basic' | 'client_secret_post'; secret: string };

export interface ProtocolEndpoints {
  /** A form posted to oidc-provider's `/oauth2/token`. */
  token(form: Record<string, string>, client: ClientCredentials): Promise<EndpointAnswer>;
  /** A form posted to oidc-provider's `/oauth2/revoke`. */
  revoke(form: Record<string, string>, client: ClientCredentials): Promise<EndpointAnswer>;
  close(): Promise<void>;
}

/** RFC 6749 §2.3.1: both parts form-urlencoded before base64. */
const formEncode = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');

/**
 * The Cognito API's refreshes and revocations go through oidc-provider's own token and revocation
 * endpoints, so they follow exactly the rules of `/oauth2/token` (client authentication, rotation,
 * reuse detection that revokes the grant, lifetimes, claims): no second token minting here.
 *
 * The endpoints are reached over a private loopback listener started on first use (the library is
 * a Koa application over Node's req/res; a real request is the documented way in). The public
 * URL's scheme and host are forwarded, as server/http/forwarded.ts does for outside requests.
 */
export function loopbackEndpoints(opts: { issuer: string; handle: (req: IncomingMessage, res: ServerResponse) => void }): ProtocolEndpoints {
  const issuer = new URL(opts.issuer);
  let server: http.Server | undefined;
  let origin: Promise<string> | undefined;
  const start = () =>
    (origin ??= new Promise<string>((resolve, reject) => {
      server = http.createServer((req, res) => opts.handle(req, res));
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`));
    }));

  async function post(path: string, form: Record<string, string>, client: ClientCredentials): Promise<EndpointAnswer> {
    const fields = { ...form };
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-proto': issuer.protocol.slice(0, -1),
      'x-forwarded-host': issuer.host,
    };
    if (client.method === 'client_secret_basic') {
      headers.authorization = `Basic ${Buffer.from(`${formEncode(client.clientId)}:${formEncode(client.secret)}`).toString('base64')}`;
    } else {
      fields.client_id = client.clientId;
      if (client.method === 'client_secret_post') fields.client_secret = client.secret;
    }
    const res = await fetch(`${await start()}${path}`, { method: 'POST', headers, body: new URLSearchParams(fields), redirect: 'manual' });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { error: 'server_error' };
    }
    return { status: res.status, body };
  }

  return {
    token: (form, client) => post('/oauth2/token', form, client),
    revoke: (form, client) => post('/oauth2/revoke', form, client),
    async close() {
      if (!server) return;
      const s = server;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}
