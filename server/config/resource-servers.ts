import { z } from 'zod';
import { coded, codedPattern } from './field-codes';

/**
 * Resource servers (`resource_servers` in the pool config), as Cognito has them: an API named by
 * an identifier, with custom scopes. A client is allowed `<identifier>/<scope name>` in its
 * `scope`; an access token for it says `aud: <identifier>` and lists the granted scopes.
 * Patterns and sizes are Cognito's (CreateResourceServer), minus `#`: the identifier is also a
 * resource indicator (RFC 8707), which may not have a fragment.
 */
const identifier = z
  .string()
  .min(1)
  .max(256)
  .regex(codedPattern(/^[\x21\x24-\x5B\x5D-\x7E]+$/, 'printable_token', { except: '" # \\' }), 'printable ASCII without spaces, ", # or \\')
  .refine((id) => !id.startsWith('urn:foyer:'), coded('reserved', 'urn:foyer: identifiers are reserved'));

const scopeName = z
  .string()
  .min(1)
  .max(256)
  .regex(codedPattern(/^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$/, 'printable_token', { except: '" / \\' }), 'printable ASCII without spaces, ", / or \\');

export const resourceServerSchema = z
  .object({
    identifier,
    name: z.string().min(1).max(256).regex(codedPattern(/^[\w\s+=,.@-]+$/, 'allowed_chars_spaces', { chars: '_+=,.@-' }), 'letters, digits, spaces and _+=,.@- only'),
    scopes: z
      .array(z.object({ name: scopeName, description: z.string().min(1).max(256) }).strict())
      .max(100)
      .default([])
      .superRefine((scopes, ctx) => {
        const seen = new Set<string>();
        scopes.forEach((s, i) => {
          if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: 'duplicate scope name', params: { code: 'duplicate' } });
          seen.add(s.name);
        });
      }),
    /**
     * Confidential app clients (by client_id) that may introspect this API's access tokens at
     * /oauth2/introspect (RFC 7662), e.g. the API's own backend. Foyer's addition to Cognito's shape.
     */
    introspection_clients: z.array(z.string().min(1).max(128)).max(100).optional(),
  })
  .strict();
export type ResourceServer = z.infer<typeof resourceServerSchema>;

/**
 * Foyer's own admin API, always there, never in a config (nor redefined by one). THE CONTRACT the
 * admin API verifies (with jose, against the keys of /.well-known/jwks.json), and which
 * server/oidc/provider.ts keeps: a JWT, header `alg: RS256` and the `kid` of a published key;
 * `iss` = the issuer (PUBLIC_URL); `aud` = "foyer" (a string, or an array that contains it);
 * `scope` space-separated, containing "foyer/admin" (everything) or "foyer/admin.read" (reading);
 * `client_id`; `exp` (and `iat`, `jti`, `token_use: "access"`; `sub` only when a user is involved).
 */
export const FOYER_RESOURCE_SERVER: ResourceServer = {
  identifier: 'foyer',
  name: 'Foyer admin API',
  scopes: [
    { name: 'admin', description: 'Everything the admin API does' },
    { name: 'admin.read', description: 'Read what the admin API shows' },
  ],
};

/** `<identifier>/<name>`: the name has no `/`, so the identifier is what precedes the last one. */
export function splitCustomScope(scope: string): { identifier: string; name: string } | undefined {
  const at = scope.lastIndexOf('/');
  if (at <= 0 || at === scope.length - 1) return undefined;
  return { identifier: scope.slice(0, at), name: scope.slice(at + 1) };
}

export const customScopesOf = (rs: ResourceServer): string[] => rs.scopes.map((s) => `${rs.identifier}/${s.name}`);

/**
 * The resource indicator (RFC 8707: an absolute URI) that stands for a resource server at the
 * token endpoint: its identifier when it is one (`https://api.example`), else a URN made from it
 * (`foyer` -> `urn:foyer:resource-server:foyer`). The token's `aud` is the identifier either way.
 */
const URN = 'urn:foyer:resource-server:';
export function resourceIndicatorOf(id: string): string {
  return URL.canParse(id) ? id : `${URN}${encodeURIComponent(id)}`;
}
export function identifierOfIndicator(indicator: string): string {
  return indicator.startsWith(URN) ? decodeURIComponent(indicator.slice(URN.length)) : indicator;
}
