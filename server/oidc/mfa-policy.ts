import { interactionPolicy } from 'oidc-provider';
import type { Pool } from '../pool';

const { Check, base } = interactionPolicy;

/**
 * The provider's interaction policy, plus one check on its login prompt: a browser already signed
 * in without a second factor is asked to sign in again by an app that requires MFA (`require_mfa`,
 * the console for its admins), so a pool session from another app cannot carry the user past the requirement.
 */
export function policyWithAppMfa(pool: Pick<Pool, 'clients'>) {
  const policy = base();
  policy.get('login')!.checks.add(
    new Check('app_requires_mfa', 'the app requires a second factor', async (ctx) => {
      const session = ctx.oidc.session;
      if (!session?.accountId || (session.amr ?? []).includes('mfa')) return Check.NO_NEED_TO_PROMPT;
      return (await pool.clients.requiresMfa({ clientId: ctx.oidc.client!.clientId, userId: session.accountId })) ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
    }),
  );
  return policy;
}
