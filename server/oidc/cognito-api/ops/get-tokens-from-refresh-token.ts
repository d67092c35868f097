import { z } from 'zod';
import { clientId, clientMetadata, operation, token } from '../context';
import { clientCredentials, refresh } from '../refresh';

/** New tokens for a refresh token (what Amplify v6 calls); the rotated refresh token comes back too. */
export default operation({
  input: z.object({
    ClientId: clientId,
    RefreshToken: token,
    ClientSecret: z.string().min(1).max(256).optional(),
    DeviceKey: z.string().max(55).optional(),
    ClientMetadata: clientMetadata,
  }),
  async run(input, ctx) {
    const client = await clientCredentials(ctx, input.ClientId, input.ClientSecret, 'ClientSecret');
    return refresh(ctx, client, input.RefreshToken);
  },
});
