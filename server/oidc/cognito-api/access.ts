import type { JWTPayload } from 'jose';
import { COGNITO_USER_ADMIN_SCOPE } from '../../config/seed';
import { notAuthorized } from './errors';
import type { OpContext } from './context';

/**
 * The user an access token speaks for, as Cognito checks it for GetUser and GlobalSignOut: ours,
 * unexpired, its grant not revoked, its user enabled, and granted `aws.cognito.signin.user.admin`.
 */
export async function userOfAccessToken(ctx: OpContext, token: string): Promise<{ userId: string; payload: JWTPayload }> {
  const payload = await ctx.verifyAccessToken(token);
  if (!payload || typeof payload.sub !== 'string') throw notAuthorized('Invalid Access Token');
  if (!String(payload.scope ?? '').split(' ').includes(COGNITO_USER_ADMIN_SCOPE)) throw notAuthorized('Access Token does not have required scopes');
  return { userId: payload.sub, payload };
}
