'use server';

import * as oidc from 'openid-client';
import { redirect } from 'next/navigation';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { FormState } from '@/components/FlowForm';
import type { PasskeyOptionsState } from '@/components/passkeys/PasskeyCeremony';
import { accountAction, isAccountCtx, type AccountCtx } from '@/app/_lib/account';
import { ourCookies } from '@/app/_lib/cookies';
import { errorState, field, refusal } from '@/app/_lib/flow';
import { relyingParty } from '@/app/_lib/relying-party';
import { ACCOUNT_CLIENT_ID } from '@/server/pool/account/client';

const ID = /^[A-Za-z0-9_-]{1,128}$/;
/** A WebAuthn credential ID, base64url (authenticators make them up to 1023 bytes). */
const PASSKEY_ID = /^[A-Za-z0-9_-]{1,1400}$/;

/** Runs a change for the signed-in user, then shows the account page with a notice. */
async function change(
  data: FormData,
  opts: { recent?: string },
  run: (ctx: AccountCtx) => Promise<string | { error: FormState }>,
): Promise<FormState> {
  const ctx = await accountAction(data, opts);
  if (!isAccountCtx(ctx)) return ctx;
  const outcome = await run(ctx);
  if (typeof outcome !== 'string') return outcome.error;
  redirect(outcome.startsWith('/') ? outcome : `/${ctx.locale}/account?notice=${outcome}`);
}

export async function signOutAction(_prev: FormState, data: FormData): Promise<FormState> {
  return change(data, {}, async (ctx) => {
    await ctx.rt.pool.account.sessions.end({ id: ctx.session.id });
    (await ourCookies()).delete('account');
    const rp = await relyingParty(ACCOUNT_CLIENT_ID);
    if (!rp) return `/${ctx.locale}/logout/done`;
    // With the ID token as hint the pool signs the browser out without asking again.
    const url = oidc.buildEndSessionUrl(rp.config, {
      id_token_hint: ctx.session.idToken,
      post_logout_redirect_uri: `${rp.base}/api/account/signed-out`,
      state: ctx.locale,
    });
    return `${url.pathname}${url.search}`;
  });
}

export async function revokeSignInAction(_prev: FormState, data: FormData): Promise<FormState> {
  return change(data, {}, async (ctx) => {
    const id = field(data, 'id');
    if (!ID.test(id) || !(await ctx.rt.pool.account.revokeSignIn({ userId: ctx.session.userId, sessionId: id, locale: ctx.locale }))) {
      return { error: await errorState(ctx.t, { error: 'not_found' }) };
    }
    return 'session_revoked';
  });
}

export async function forgetDeviceAction(_prev: FormState, data: FormData): Promise<FormState> {
  return change(data, {}, async (ctx) => {
    const id = field(data, 'id');
    if ((id !== 'all' && !ID.test(id)) || !(await ctx.rt.pool.account.forgetDevice({ userId: ctx.session.userId, id, locale: ctx.locale }))) {
      return { error: await errorState(ctx.t, { error: 'not_found' }) };
    }
    return 'device_forgotten';
  });
}

/** Takes a second factor away (the row names its kind); never the last one of a pool that requires one. */
export async function removeMethodAction(_prev: FormState, data: FormData): Promise<FormState> {
  return change(data, { recent: '' }, async (ctx) => {
    const kind = field(data, 'kind');
    const done = await ctx.rt.pool.account.removeMethod({ userId: ctx.session.userId, kind, locale: ctx.locale, keepGrantId: ctx.session.grantId });
    return 'error' in done ? { error: await errorState(ctx.t, done) } : `${kind}_removed`;
  });
}

export async function regenerateCodesAction(_prev: FormState, data: FormData): Promise<FormState> {
  return change(data, { recent: '' }, async (ctx) => {
    const codes = await ctx.rt.pool.account.regenerateRecoveryCodes({ userId: ctx.session.userId, locale: ctx.locale });
    await ctx.rt.pool.account.sessions.reveal({ id: ctx.session.id, value: JSON.stringify(codes) });
    return `/${ctx.locale}/account/recovery-codes`;
  });
}

/** Codes by e-mail or by text message, on or off (pools where two-step verification is optional). */
export async function codesOptInAction(_prev: FormState, data: FormData): Promise<FormState> {
  return change(data, { recent: '' }, async (ctx) => {
    const kind = field(data, 'kind');
    if (kind !== 'email' && kind !== 'sms') return { error: await errorState(ctx.t, { error: 'invalid_input' }) };
    const on = field(data, 'on') === '1';
    const done = await ctx.rt.pool.account.setCodesOptIn({ userId: ctx.session.userId, kind, on, locale: ctx.locale, keepGrantId: ctx.session.grantId });
    return 'error' in done ? { error: await errorState(ctx.t, done) } : `${kind}_codes_${on ? 'on' : 'off'}`;
  });
}

/** Options to create another passkey for the signed-in user (the browser then asks the person). */
export async function passkeyOptionsAction(data: FormData): Promise<PasskeyOptionsState<PublicKeyCredentialCreationOptionsJSON>> {
  const ctx = await accountAction(data, { recent: '' });
  if (!isAccountCtx(ctx)) return ctx;
  const options = await ctx.rt.pool.passkeys.registrationOptions({ userId: ctx.session.userId });
  return 'error' in options ? errorState(ctx.t, options) : { options };
}

/** The browser's new passkey (form field `response`), stored under the name the user gave it. */
export async function addPasskeyAction(_prev: FormState, data: FormData): Promise<FormState> {
  return change(data, { recent: '' }, async (ctx) => {
    const name = field(data, 'name');
    const done = await ctx.rt.pool.account.addPasskey({ userId: ctx.session.userId, response: field(data, 'response'), name, locale: ctx.locale });
    return 'error' in done ? { error: await errorState(ctx.t, done, { name: name.slice(0, 64) }) } : 'passkey_added';
  });
}

export async function removePasskeyAction(_prev: FormState, data: FormData): Promise<FormState> {
  return change(data, { recent: '' }, async (ctx) => {
    const id = field(data, 'id');
    if (!PASSKEY_ID.test(id)) return { error: await errorState(ctx.t, { error: 'passkey_not_found' }) };
    const done = await ctx.rt.pool.account.removePasskey({ userId: ctx.session.userId, id, locale: ctx.locale, keepGrantId: ctx.session.grantId });
    return 'error' in done ? { error: await errorState(ctx.t, done) } : 'passkey_removed';
  });
}

/** Stops signing in through one outside provider (refused when it is the last way in). */
export async function unlinkIdentityAction(_prev: FormState, data: FormData): Promise<FormState> {
  return change(data, { recent: '' }, async (ctx) => {
    const provider = field(data, 'provider');
    const done = provider.length > 0 && provider.length <= 128 ? await ctx.rt.pool.account.unlinkIdentity({ userId: ctx.session.userId, provider, locale: ctx.locale, keepGrantId: ctx.session.grantId }) : { refused: 'not_linked' as const };
    if ('refused' in done) return { error: await refusal(ctx.t(`federation.unlink.${done.refused}`), done.refused === 'not_linked' ? 404 : 409) };
    return 'identity_unlinked';
  });
}
