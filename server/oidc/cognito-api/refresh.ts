import { CognitoError, invalidParameter, notAuthorized } from './errors';
import type { ClientCredentials, EndpointAnswer } from './endpoints';
import type { OpContext } from './context';

/** Cognito's `AuthenticationResult`. */
export interface AuthenticationResult {
  AccessToken: string;
  IdToken?: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
}

/**
 * The client a request names, authenticated as it is registered at the token endpoint. A
 * confidential client without its secret is refused here, as Cognito refuses it; a wrong secret
 * is refused by oidc-provider (compareClientSecret) like at /oauth2/token.
 */
export async function clientCredentials(ctx: OpContext, clientId: string, secret: string | undefined, secretName: string): Promise<ClientCredentials> {
  const client = await ctx.pool.clients.find({ clientId });
  if (!client) throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  const method = client.token_endpoint_auth_method;
  if (method === 'none') return { clientId, method };
  if (!secret) throw notAuthorized(`Client ${clientId} is configured with secret but ${secretName} was not received`);
  return { clientId, method, secret };
}

/** oidc-provider's OAuth error, as the Cognito exception an SDK expects. */
export function cognitoErrorOf(answer: EndpointAnswer, clientId: string, what: string): CognitoError {
  const error = String(answer.body.error ?? '');
  if (error === 'invalid_grant') return notAuthorized(`Invalid ${what}`);
  if (error === 'invalid_client') return notAuthorized(`Unable to verify the secret of client ${clientId}`);
  if (error === 'unauthorized_client') return invalidParameter('Refresh token flow not enabled for this client');
  if (error === 'unsupported_token_type') return new CognitoError('UnsupportedTokenTypeException', 'Only refresh tokens can be revoked');
  if (answer.status < 500) return invalidParameter(String(answer.body.error_description ?? error) || 'Invalid request');
  return new CognitoError('InternalErrorException', 'Internal error', 500);
}

/**
 * A refresh through oidc-provider's token endpoint: the same rotation, reuse detection (a rotated
 * token used again ends its grant), lifetimes and claims as `/oauth2/token`. Rotation is always on
 * (server/oidc/provider.ts), so the new refresh token is always returned: dropping it would leave
 * the caller holding a used token whose next use revokes the whole grant.
 */
export async function refresh(ctx: OpContext, client: ClientCredentials, refreshToken: string): Promise<{ AuthenticationResult: AuthenticationResult }> {
  const answer = await ctx.endpoints.token({ grant_type: 'refresh_token', refresh_token: refreshToken }, client);
  if (answer.status !== 200) throw cognitoErrorOf(answer, client.clientId, 'Refresh Token');
  const b = answer.body;
  return {
    AuthenticationResult: {
      AccessToken: String(b.access_token),
      ...(typeof b.id_token === 'string' ? { IdToken: b.id_token } : {}),
      ...(typeof b.refresh_token === 'string' ? { RefreshToken: b.refresh_token } : {}),
      ExpiresIn: Number(b.expires_in),
      TokenType: 'Bearer',
    },
  };
}
