import { z } from 'zod';
import { clientId, clientMetadata, operation } from '../context';
import { invalidParameter, notAuthorized } from '../errors';
import { clientCredentials, refresh } from '../refresh';

/** Cognito's flows; only the refresh one is answered here (sign-in happens on the hosted pages). */
const flows = ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'USER_SRP_AUTH', 'USER_PASSWORD_AUTH', 'CUSTOM_AUTH', 'USER_AUTH', 'ADMIN_NO_SRP_AUTH', 'ADMIN_USER_PASSWORD_AUTH'] as const;

/**
 * InitiateAuth with REFRESH_TOKEN_AUTH (older SDKs' refresh). A confidential client would prove
 * itself with SECRET_HASH, an HMAC keyed with its secret; Foyer keeps only a keyed hash of client
 * secrets (server/pool/client-secrets.ts), so it cannot check one and says so: such clients use
 * GetTokensFromRefreshToken with ClientSecret.
 */
export default operation({
  input: z.object({
    AuthFlow: z.enum(flows),
    ClientId: clientId,
    AuthParameters: z.record(z.string().max(128), z.string().max(16384)).default({}),
    ClientMetadata: clientMetadata,
  }),
  async run(input, ctx) {
    if (input.AuthFlow !== 'REFRESH_TOKEN_AUTH' && input.AuthFlow !== 'REFRESH_TOKEN') throw invalidParameter(`${input.AuthFlow} flow not enabled for this client`);
    const refreshToken = input.AuthParameters.REFRESH_TOKEN;
    if (!refreshToken) throw invalidParameter('Missing required parameter REFRESH_TOKEN');
    const client = await clientCredentials(ctx, input.ClientId, input.AuthParameters.SECRET_HASH, 'SECRET_HASH');
    if (client.method !== 'none') throw notAuthorized(`Unable to verify secret hash for client ${input.ClientId}: use GetTokensFromRefreshToken with ClientSecret`);
    return refresh(ctx, client, refreshToken);
  },
});
