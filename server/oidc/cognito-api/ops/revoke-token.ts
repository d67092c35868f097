import { z } from 'zod';
import { clientId, operation, token } from '../context';
import { cognitoErrorOf, clientCredentials } from '../refresh';

/**
 * Revokes a refresh token and every token of its grant, through oidc-provider's revocation
 * endpoint (as `/oauth2/revoke`). Like it (RFC 7009), a token that is unknown, already revoked or
 * another client's is answered `{}` and left alone.
 */
export default operation({
  input: z.object({ ClientId: clientId, Token: token, ClientSecret: z.string().min(1).max(256).optional() }),
  async run(input, ctx) {
    const client = await clientCredentials(ctx, input.ClientId, input.ClientSecret, 'ClientSecret');
    const answer = await ctx.endpoints.revoke({ token: input.Token, token_type_hint: 'refresh_token' }, client);
    if (answer.status !== 200) throw cognitoErrorOf(answer, input.ClientId, 'Token');
    return {};
  },
});
