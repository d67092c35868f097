import { z } from 'zod';
import { operation, token } from '../context';
import { userOfAccessToken } from '../access';
import { notAuthorized } from '../errors';

/** Claims that are not user attributes in Cognito's GetUser. */
const NOT_ATTRIBUTES = new Set(['cognito:username', 'cognito:groups']);
/** Cognito's names for the second factors a user has set up. */
const MFA_NAMES: Partial<Record<string, string>> = { totp: 'SOFTWARE_TOKEN_MFA', sms: 'SMS_MFA', email: 'EMAIL_OTP' };

/** Attribute values are strings in Cognito: booleans "true"/"false", the address its formatted text, JSON for the rest. */
function attributeValue(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (name === 'address' && value && typeof value === 'object' && 'formatted' in value) return String(value.formatted);
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** The token's user: `Username`, `UserAttributes` as `{Name, Value}` pairs, the second factors set up. */
export default operation({
  input: z.object({ AccessToken: token }),
  async run(input, ctx) {
    const { userId } = await userOfAccessToken(ctx, input.AccessToken);
    const claims = await ctx.pool.users.claims({ id: userId });
    if (!claims) throw notAuthorized('User is disabled.');
    const mfa = (await ctx.pool.admin.users.factors({ userId })).flatMap((f) => MFA_NAMES[f.kind] ?? []);
    return {
      Username: claims['cognito:username'],
      UserAttributes: Object.entries(claims)
        .filter(([name, value]) => !NOT_ATTRIBUTES.has(name) && value !== undefined && value !== null)
        .map(([Name, value]) => ({ Name, Value: attributeValue(Name, value) })),
      ...(mfa.length ? { UserMFASettingList: [...new Set(mfa)] } : {}),
    };
  },
});
