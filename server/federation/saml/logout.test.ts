import { afterEach, expect, it } from 'vitest';
import { describeEachDb } from '../../testing/databases';
import { follow, samlTestbed, stopTestIdps } from '../../testing/saml-testbed';
import { deflateRawSync } from 'node:zlib';
import { answerLogoutRequest, consumeLogoutRequest, consumeLogoutResponse, startLogout, xmlOfRedirectUrl } from './logout';

afterEach(stopTestIdps);

const SUBJECT = { nameId: 'alice@example.test', nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', sessionIndex: '_session-alice' };

/** The raw query of a redirect URL, as our SLO endpoint would receive it. */
const queryOf = (url: string) => url.slice(url.indexOf('?') + 1);

it('takes the XML back out of the HTTP-Redirect URL node-saml builds (for the POST binding)', () => {
  const xml = '<samlp:LogoutRequest ID="_x"/>';
  const url = `https://idp.example/slo?SAMLRequest=${encodeURIComponent(deflateRawSync(xml).toString('base64'))}&SigAlg=a&Signature=b`;
  expect(xmlOfRedirectUrl(url, 'SAMLRequest')).toBe(xml);
  expect(() => xmlOfRedirectUrl(url, 'SAMLResponse')).toThrow(/no SAMLResponse/);
});

describeEachDb('SAML single logout', (open) => {
  it('SP-initiated over HTTP-Redirect: a signed LogoutRequest; the IdP\'s signed LogoutResponse accepted once', async () => {
    const bed = await samlTestbed(await open());
    const started = await startLogout(bed.ctx, bed.provider, { ...SUBJECT, relayState: 'logout-1' });
    if (!('ok' in started)) throw new Error(started.error);
    expect(started.ok.binding).toBe('redirect');
    const answer = await follow(started.ok);
    expect(bed.idp.logoutRequests[0]).toMatchObject({
      binding: 'redirect',
      signed: true,
      id: started.ok.messageId,
      nameId: 'alice@example.test',
      sessionIndex: '_session-alice',
      issuer: 'http://foyer.test:3000/saml2/metadata/Acme%20SSO',
      relayState: 'logout-1',
    });
    expect(answer.status).toBe(302);
    expect(answer.location).toMatch(/^http:\/\/foyer\.test:3000\/saml2\/logout\?SAMLResponse=/);
    const query = queryOf(answer.location!);
    expect(await consumeLogoutResponse(bed.ctx, bed.provider, { query })).toEqual({ ok: { inResponseTo: started.ok.messageId, relayState: 'logout-1' } });
    expect(await consumeLogoutResponse(bed.ctx, bed.provider, { query })).toMatchObject({ error: 'saml_unknown_request' });
  });

  it('SP-initiated over HTTP-POST when the IdP only offers POST', async () => {
    const bed = await samlTestbed(await open(), { idp: { sloBindings: ['post'] } });
    const started = await startLogout(bed.ctx, bed.provider, SUBJECT);
    if (!('ok' in started)) throw new Error(started.error);
    expect(started.ok.binding).toBe('post');
    const answer = await follow(started.ok);
    expect(bed.idp.logoutRequests[0]).toMatchObject({ binding: 'post', signed: true, id: started.ok.messageId, nameId: 'alice@example.test', sessionIndex: '_session-alice' });
    expect(answer.page?.action).toBe('http://foyer.test:3000/saml2/logout');
    expect(await consumeLogoutResponse(bed.ctx, bed.provider, answer.page!.fields)).toEqual({ ok: { inResponseTo: started.ok.messageId, relayState: null } });
  });

  it('refuses LogoutResponses that are unsigned, badly signed, failed, or answer nothing of ours', async () => {
    const bed = await samlTestbed(await open());
    const pending = async () => {
      const started = await startLogout(bed.ctx, bed.provider, { ...SUBJECT, relayState: 'r' });
      if (!('ok' in started)) throw new Error(started.error);
      return started.ok.messageId;
    };
    const id = await pending();
    const unsigned = bed.idp.logoutResponse({ inResponseTo: id, sign: false, relayState: 'r' });
    expect(await consumeLogoutResponse(bed.ctx, bed.provider, { query: queryOf(unsigned.url) })).toMatchObject({ error: 'saml_unsigned' });
    const unsignedPost = bed.idp.logoutResponse({ inResponseTo: id, sign: false, binding: 'post' });
    if (unsignedPost.binding !== 'post') throw new Error('post expected');
    expect(await consumeLogoutResponse(bed.ctx, bed.provider, unsignedPost.fields)).toMatchObject({ error: 'saml_unsigned' });
    // The RelayState changed after signing: the query signature no longer verifies.
    const signed = bed.idp.logoutResponse({ inResponseTo: id, relayState: 'r' });
    const tampered = queryOf(signed.url).replace('RelayState=r', 'RelayState=s');
    expect(await consumeLogoutResponse(bed.ctx, bed.provider, { query: tampered })).toMatchObject({ error: 'saml_bad_signature' });
    const failed = bed.idp.logoutResponse({ inResponseTo: id, relayState: 'r', status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' });
    expect(await consumeLogoutResponse(bed.ctx, bed.provider, { query: queryOf(failed.url) })).toMatchObject({ error: 'saml_logout_failed' });
    const failedPost = bed.idp.logoutResponse({ inResponseTo: id, binding: 'post', relayState: 'r', status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' });
    expect(await consumeLogoutResponse(bed.ctx, bed.provider, failedPost.binding === 'post' ? failedPost.fields : {})).toMatchObject({ error: 'saml_logout_failed' });
    const stranger = bed.idp.logoutResponse({ inResponseTo: '_not-ours', relayState: 'r' });
    expect(await consumeLogoutResponse(bed.ctx, bed.provider, { query: queryOf(stranger.url) })).toMatchObject({ error: 'saml_unknown_request' });
    // After all that, the real answer still works: refusals do not consume the pending request.
    const good = bed.idp.logoutResponse({ inResponseTo: id, relayState: 'r' });
    expect(await consumeLogoutResponse(bed.ctx, bed.provider, { query: queryOf(good.url) })).toMatchObject({ ok: { inResponseTo: id } });
  });

  it('IdP-initiated over HTTP-Redirect: a signed LogoutRequest accepted once, answered with a signed LogoutResponse', async () => {
    const bed = await samlTestbed(await open());
    const request = bed.idp.logoutRequest({ nameId: 'alice@example.test', sessionIndex: '_session-alice', relayState: 'idp-state' });
    const query = queryOf(request.url);
    const accepted = await consumeLogoutRequest(bed.ctx, bed.provider, { query });
    expect(accepted).toEqual({
      ok: {
        requestId: request.id,
        nameId: 'alice@example.test',
        nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        sessionIndex: '_session-alice',
        relayState: 'idp-state',
      },
    });
    expect(await consumeLogoutRequest(bed.ctx, bed.provider, { query })).toMatchObject({ error: 'saml_replay' });

    const answer = await answerLogoutRequest(bed.ctx, bed.provider, { requestId: request.id, relayState: 'idp-state' });
    if (!('ok' in answer)) throw new Error(answer.error);
    expect(answer.ok.binding).toBe('redirect');
    const page = await follow(answer.ok);
    expect(page.status).toBe(200);
    expect(bed.idp.logoutResponses[0]).toMatchObject({ binding: 'redirect', signed: true, relayState: 'idp-state', issuer: 'http://foyer.test:3000/saml2/metadata/Acme%20SSO' });
    expect(bed.idp.logoutResponses[0].xml).toContain(`InResponseTo="${request.id}"`);
    expect(bed.idp.logoutResponses[0].xml).toContain('urn:oasis:names:tc:SAML:2.0:status:Success');
  });

  it('IdP-initiated over HTTP-POST, answered over POST when that is all the IdP offers', async () => {
    const bed = await samlTestbed(await open(), { idp: { sloBindings: ['post'] } });
    const request = bed.idp.logoutRequest({ nameId: 'alice@example.test', binding: 'post' });
    if (request.binding !== 'post') throw new Error('post expected');
    expect(await consumeLogoutRequest(bed.ctx, bed.provider, request.fields)).toMatchObject({ ok: { requestId: request.id, nameId: 'alice@example.test', sessionIndex: null } });
    const answer = await answerLogoutRequest(bed.ctx, bed.provider, { requestId: request.id });
    if (!('ok' in answer) || answer.ok.binding !== 'post') throw new Error('a POST answer expected');
    await follow(answer.ok);
    expect(bed.idp.logoutResponses[0]).toMatchObject({ binding: 'post', signed: true });
  });

  it('refuses IdP LogoutRequests that are unsigned, badly signed or stale', async () => {
    const bed = await samlTestbed(await open());
    const unsigned = bed.idp.logoutRequest({ nameId: 'alice@example.test', sign: false });
    expect(await consumeLogoutRequest(bed.ctx, bed.provider, { query: queryOf(unsigned.url) })).toMatchObject({ error: 'saml_unsigned' });
    const unsignedPost = bed.idp.logoutRequest({ nameId: 'alice@example.test', sign: false, binding: 'post' });
    expect(await consumeLogoutRequest(bed.ctx, bed.provider, unsignedPost.binding === 'post' ? unsignedPost.fields : {})).toMatchObject({ error: 'saml_unsigned' });
    const signed = bed.idp.logoutRequest({ nameId: 'alice@example.test', relayState: 'a' });
    expect(await consumeLogoutRequest(bed.ctx, bed.provider, { query: queryOf(signed.url).replace('RelayState=a', 'RelayState=b') })).toMatchObject({
      error: 'saml_bad_signature',
    });
    const stale = bed.idp.logoutRequest({ nameId: 'alice@example.test', issuedAt: Date.now() - 30 * 60_000 });
    expect(await consumeLogoutRequest(bed.ctx, bed.provider, { query: queryOf(stale.url) })).toMatchObject({ error: 'saml_expired' });
    expect(await consumeLogoutRequest(bed.ctx, bed.provider, { query: 'SAMLRequest=%%%' })).toMatchObject({ error: 'saml_bad_response' });
  });

  it('says saml_no_slo when the IdP has no single logout', async () => {
    const bed = await samlTestbed(await open(), { idp: { sloBindings: [] } });
    expect(await startLogout(bed.ctx, bed.provider, SUBJECT)).toMatchObject({ error: 'saml_no_slo' });
  });
});
