import { confirmationDestination, sendConfirmationCode } from './confirmation';
import type { PoolContext } from './context';
import { readCustomAttributes } from './custom-attributes';
import { fail, type PoolError } from './errors';
import type { FlowOutcome } from './flow';
import { hashPassword } from './passwords/hash';
import { checkPassword } from './passwords/policy';
import { perIp } from './rate-limit';
import { queueMail, sendCode } from './messages';
import { inTransaction } from './transaction';
import { insertUser, usernameTaken, verifiedEmailTaken } from './users';

export interface SignUpInput {
  username: string;
  email: string | null;
  phoneNumber: string | null;
  password: string;
  /** Profile attributes, already read by the screen. */
  attributes: Record<string, string>;
  /** The form's value of each declared custom attribute (by name), checked here against its type. */
  custom?: Record<string, string>;
  /** The terms checkbox (pool.sign_up.terms); its version is stored with the user. */
  acceptedTerms?: boolean;
  ip: string;
  locale: string;
}

/** With e-mail or phone sign-in on, a username shaped like one could shadow someone's address. */
function usernameLooksLikeAlias(username: string, aliases: string[]): boolean {
  return (aliases.includes('email') && username.includes('@')) || (aliases.includes('phone_number') && /^\+?[0-9 ()-]+$/.test(username));
}

/** A refusal from inside the transaction: thrown to undo it, answered as it is. */
class Refused {
  constructor(readonly error: PoolError) {}
}

/**
 * Creates an UNCONFIRMED user and sends the confirmation code. An e-mail that already belongs
 * to a confirmed account gets the same answer and timing (the owner is told by mail instead, one
 * message either way, written with the user in one transaction), so sign-up does not reveal who
 * has an account. A taken username has to be said: the person must pick another. A sign-up
 * without an e-mail is confirmed by a text to its phone instead.
 */

export async function signUp(ctx: PoolContext, input: SignUpInput): Promise<FlowOutcome | PoolError> {
  const settings = await ctx.settings();
  if (settings.sign_up.mode !== 'open') return fail('sign_up_disabled');
  const limited = await perIp(ctx, 'sign_up', input.ip);
  if (!limited.allowed) return fail('rate_limited', { retryAfter: limited.retryAfter });

  if (usernameLooksLikeAlias(input.username, settings.sign_in_aliases)) return fail('username_looks_like_alias', { field: 'username' });
  const problem = checkPassword(input.password, settings.password_policy, { username: input.username, email: input.email ?? undefined });
  const custom = readCustomAttributes(settings.custom_attributes, (name) => input.custom?.[name] ?? '');
  if ('error' in custom) return custom;
  const terms = settings.sign_up.terms;
  if (terms && !input.acceptedTerms) return fail('terms_required', { field: 'terms' });
  if (problem) return fail(problem.code, { field: 'password', params: 'min' in problem ? { min: problem.min } : 'max' in problem ? { max: problem.max } : {} });

  const passwordHash = await hashPassword(input.password);
  if (await usernameTaken(ctx, input.username)) return fail('user_exists', { field: 'username' });
  const destination = confirmationDestination(input);
  // The new account is made either way (its e-mail unverified), so its username is taken alike.
  let userId: string;
  try {
    userId = await inTransaction(ctx, async (tx) => {
      const id = await insertUser(tx, {
        username: input.username,
        email: input.email,
        phoneNumber: input.phoneNumber,
        passwordHash,
        status: 'UNCONFIRMED',
        // The language it signed up in: its mail and texts are written in it from now on.
        attributes: { locale: input.locale, ...input.attributes, ...custom.values },
        terms: terms ? { version: terms.version, acceptedAt: ctx.now() } : undefined,
      });
      if (input.email && (await verifiedEmailTaken(tx, input.email))) {
        // The address's owner is told instead of being sent a code; the screen looks the same.
        await queueMail(tx, input.email, { kind: 'accountExists' }, input.locale);
      } else if (input.email) {
        // A new user is never over its send quota.
        await sendCode(tx, { id, email: input.email }, 'confirm_sign_up', input.locale);
      } else if (input.phoneNumber) {
        // A text may be refused (the SMS limits against pumping): then no account is made either.
        const sent = await sendConfirmationCode(tx, { id, email: null, phone_number: input.phoneNumber }, input);
        if ('error' in sent) throw new Refused(sent);
      } // Nothing to send without an address.
      return id;
    });
  } catch (e) {
    if (e instanceof Refused) return e.error;
    // Two sign-ups racing for one username: the unique index decides (and the loser's transaction is undone).
    if (await usernameTaken(ctx, input.username)) return fail('user_exists', { field: 'username' });
    throw e;
  }
  return { next: { step: 'confirm-account', userId, destination } };
}
