import { z } from 'zod';
import { operation, token } from '../context';
import { userOfAccessToken } from '../access';

/** Ends every sign-in of the token's user: browser sessions, grants, refresh and access tokens. */
export default operation({
  input: z.object({ AccessToken: token }),
  async run(input, ctx) {
    const { userId } = await userOfAccessToken(ctx, input.AccessToken);
    await ctx.pool.users.signOutEverywhere({ id: userId });
    return {};
  },
});
