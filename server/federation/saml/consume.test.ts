import { afterEach, expect, it } from 'vitest';
import { newKeyAndCertificate } from './certificate';
import { startLogin } from './login';
import { describeEachDb } from '../../testing/databases';
import { follow, samlTestbed, signInAtIdp, stopTestIdps, type SamlTestbed } from '../../testing/saml-testbed';
import type { SamlScenario } from '../../testing/saml-idp';
import { consumeResponse } from './consume';
import { mapAttributes } from './provider';
import { findProvider } from './route';

afterEach(stopTestIdps);

/** A pending AuthnRequest of ours (as if the browser went to the IdP), answered by `scenario`. */
async function answered(bed: SamlTestbed, scenario: SamlScenario, relayState = 'uid-42') {
  const started = await startLogin(bed.ctx, bed.provider, { relayState });
  if (!('ok' in started)) throw new Error(started.error);
  const SAMLResponse = await bed.idp.response({ inResponseTo: started.ok.messageId, scenario });
  return { requestId: started.ok.messageId, fields: { SAMLResponse, RelayState: relayState } };
}

const refusals: [SamlScenario, string][] = [
  ['unsigned', 'saml_unsigned'],
  ['wrong-key', 'saml_bad_signature'],
  ['tampered', 'saml_bad_signature'],
  ['wrapped-sibling', 'saml_bad_signature'],
  ['wrapped-nested', 'saml_bad_signature'],
  ['wrapped-copied-signature', 'saml_bad_signature'],
  ['wrong-audience', 'saml_audience'],
  ['wrong-recipient', 'saml_recipient'],
  ['wrong-issuer', 'saml_issuer'],
  ['expired', 'saml_expired'],
  ['not-yet-valid', 'saml_not_yet_valid'],
  ['status-error', 'saml_idp_status'],
];

describeEachDb('SAML assertion consumer', (open) => {
  it('SP-initiated over HTTP-Redirect: a signed AuthnRequest, the signed answer accepted with its attributes', async () => {
    const bed = await samlTestbed(await open());
    const { request, post } = await signInAtIdp(bed);
    expect(request.binding).toBe('redirect');
    const received = bed.idp.authnRequests[0];
    expect(received).toMatchObject({
      binding: 'redirect',
      signed: true,
      id: request.messageId,
      issuer: 'http://foyer.test:3000/saml2/metadata/Acme%20SSO',
      acsUrl: 'http://foyer.test:3000/saml2/idpresponse',
      destination: `${bed.idp.url}/sso`,
      relayState: 'interaction-uid-1',
    });
    expect(post.action).toBe('http://foyer.test:3000/saml2/idpresponse');

    const result = await consumeResponse(bed.ctx, bed.provider, post.fields);
    if (!('ok' in result)) throw new Error(`${result.error}: ${result.detail}`);
    expect(result.ok).toMatchObject({
      nameId: 'alice@example.test',
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      sessionIndex: '_session-alice',
      inResponseTo: request.messageId,
      relayState: 'interaction-uid-1',
      issuer: bed.idp.entityId,
    });
    expect({ ...result.ok.attributes }).toEqual({
      email: ['alice@example.test'],
      given_name: ['Alice'],
      family_name: ['Liddell'],
      groups: ['staff', 'admins'],
    });
    expect(mapAttributes(bed.provider, result.ok.attributes)).toEqual({ email: 'alice@example.test', given_name: 'Alice' });
  });

  it('SP-initiated over HTTP-POST: the AuthnRequest carries an XML signature; asks for the configured NameID format', async () => {
    const bed = await samlTestbed(await open(), {
      provider: { binding: 'post', name_id_format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' },
    });
    const { request, post } = await signInAtIdp(bed);
    expect(request.binding).toBe('post');
    if (request.binding !== 'post') return;
    expect(request.url).toBe(`${bed.idp.url}/sso`);
    expect(Object.keys(request.fields).sort()).toEqual(['RelayState', 'SAMLRequest']);
    expect(Buffer.from(request.fields.SAMLRequest, 'base64').toString('utf8')).toMatch(/^(<\?xml[^>]*\?>)?<samlp:AuthnRequest[^>]*><saml:Issuer[^>]*>[^<]*<\/saml:Issuer><Signature xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#">/);
    expect(bed.idp.authnRequests[0]).toMatchObject({ binding: 'post', signed: true, nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' });
    const result = await consumeResponse(bed.ctx, bed.provider, post.fields);
    expect(result).toMatchObject({ ok: { nameId: 'alice@example.test', inResponseTo: request.messageId } });
  });

  it('falls back to the binding the IdP offers; unsigned AuthnRequests when sign_requests is off', async () => {
    const bed = await samlTestbed(await open(), {
      provider: { binding: 'post', sign_requests: false },
      idp: { ssoBindings: ['redirect'], wantAuthnRequestsSigned: false },
    });
    const { request, post } = await signInAtIdp(bed);
    expect(request.binding).toBe('redirect');
    expect(request.binding === 'redirect' && new URL(request.url).searchParams.has('Signature')).toBe(false);
    expect(bed.idp.authnRequests[0].signed).toBeNull();
    expect(await consumeResponse(bed.ctx, bed.provider, post.fields)).toMatchObject({ ok: { nameId: 'alice@example.test' } });
  });

  it('accepts a signature on the response instead of, or besides, the assertion', async () => {
    const bed = await samlTestbed(await open());
    for (const scenario of ['response-signed', 'both-signed'] as const) {
      const { fields, requestId } = await answered(bed, scenario);
      expect(await consumeResponse(bed.ctx, bed.provider, fields)).toMatchObject({ ok: { inResponseTo: requestId, relayState: 'uid-42' } });
    }
  });

  it('decrypts an encrypted assertion with the SP key; refuses one encrypted to another key', async () => {
    const bed = await samlTestbed(await open(), { provider: { want_encrypted_assertions: true } });
    const { fields } = await answered(bed, 'encrypted');
    expect(Buffer.from(fields.SAMLResponse, 'base64').toString()).toContain('EncryptedAssertion');
    const result = await consumeResponse(bed.ctx, bed.provider, fields);
    expect(result).toMatchObject({ ok: { nameId: 'alice@example.test', attributes: { email: ['alice@example.test'] } } });

    const sp = bed.idp.sp!;
    bed.idp.register({ ...sp, encryptionCertificatePem: newKeyAndCertificate('someone else').certificatePem });
    const foreign = await answered(bed, 'encrypted');
    expect(await consumeResponse(bed.ctx, bed.provider, foreign.fields)).toMatchObject({ error: 'saml_decrypt' });
  });

  it('refuses a plain assertion when the provider wants encrypted ones', async () => {
    const bed = await samlTestbed(await open(), { provider: { want_encrypted_assertions: true } });
    const { fields } = await answered(bed, 'ok');
    expect(await consumeResponse(bed.ctx, bed.provider, fields)).toMatchObject({ error: 'saml_unencrypted' });
  });

  it.each(refusals)('refuses the %s response with %s', async (scenario, code) => {
    const bed = await samlTestbed(await open());
    const { fields } = await answered(bed, scenario);
    const result = await consumeResponse(bed.ctx, bed.provider, fields);
    expect(result).toMatchObject({ error: code });
  });

  it('accepts each assertion once (replay), and each request answered once', async () => {
    const bed = await samlTestbed(await open());
    const { fields, requestId } = await answered(bed, 'ok');
    expect(await consumeResponse(bed.ctx, bed.provider, fields)).toMatchObject({ ok: { inResponseTo: requestId } });
    expect(await consumeResponse(bed.ctx, bed.provider, fields)).toMatchObject({ error: 'saml_replay' });
    // A fresh assertion answering the same, already answered, request.
    const again = await bed.idp.response({ inResponseTo: requestId });
    expect(await consumeResponse(bed.ctx, bed.provider, { SAMLResponse: again, RelayState: 'uid-42' })).toMatchObject({ error: 'saml_unknown_request' });
  });

  it('a replay posted concurrently is accepted exactly once', async () => {
    const bed = await samlTestbed(await open());
    const { fields } = await answered(bed, 'ok');
    const results = await Promise.all([1, 2, 3].map(() => consumeResponse(bed.ctx, bed.provider, fields)));
    expect(results.filter((r) => 'ok' in r)).toHaveLength(1);
    expect(results.filter((r) => 'error' in r).map((r) => 'error' in r && r.error)).toEqual(['saml_replay', 'saml_replay']);
  });

  it('refuses an InResponseTo we never sent, sent for another provider, expired, or with another RelayState', async () => {
    const db = await open();
    const bed = await samlTestbed(db);
    const unknown = await bed.idp.response({ inResponseTo: '_never-sent' });
    expect(await consumeResponse(bed.ctx, bed.provider, { SAMLResponse: unknown })).toMatchObject({ error: 'saml_unknown_request' });

    const other = bed.withProvider({ name: 'Other SSO' });
    const started = await startLogin(bed.ctx, other, { relayState: 'uid-1' });
    if (!('ok' in started)) throw new Error(started.error);
    const forOther = await bed.idp.response({ inResponseTo: started.ok.messageId });
    expect(await consumeResponse(bed.ctx, bed.provider, { SAMLResponse: forOther, RelayState: 'uid-1' })).toMatchObject({ error: 'saml_unknown_request' });

    const swapped = await answered(bed, 'ok', 'uid-victim');
    expect(await consumeResponse(bed.ctx, bed.provider, { ...swapped.fields, RelayState: 'uid-attacker' })).toMatchObject({ error: 'saml_unknown_request' });

    const stale = await answered(bed, 'ok');
    await db.kysely.updateTable('saml_requests').set({ expires_at: Date.now() - 1 }).where('id', '=', stale.requestId).execute();
    expect(await consumeResponse(bed.ctx, bed.provider, stale.fields)).toMatchObject({ error: 'saml_unknown_request' });
  });

  it('IdP-initiated (no InResponseTo): refused by default, accepted when the provider allows it', async () => {
    const bed = await samlTestbed(await open());
    const page = await fetch(`${bed.idp.url}/idp-initiated?RelayState=${encodeURIComponent('https://app.example.test/')}`);
    const { readPostPage } = await import('../../testing/saml-idp');
    const { fields } = readPostPage(await page.text());
    expect(Buffer.from(fields.SAMLResponse, 'base64').toString()).not.toContain('InResponseTo');
    expect(await consumeResponse(bed.ctx, bed.provider, fields)).toMatchObject({ error: 'saml_unsolicited' });

    const allowing = bed.withProvider({ idp_initiated: true });
    const result = await consumeResponse(bed.ctx, allowing, fields);
    expect(result).toMatchObject({ ok: { nameId: 'alice@example.test', inResponseTo: null, relayState: 'https://app.example.test/' } });
    // Still once only.
    expect(await consumeResponse(bed.ctx, allowing, fields)).toMatchObject({ error: 'saml_replay' });
    // An IdP-initiated assertion still gets every other check.
    const unsigned = await bed.idp.response({ inResponseTo: null, scenario: 'unsigned' });
    expect(await consumeResponse(bed.ctx, allowing, { SAMLResponse: unsigned })).toMatchObject({ error: 'saml_unsigned' });
  });

  it('refuses what is not a SAML response, with saml_bad_response and never a throw', async () => {
    const bed = await samlTestbed(await open());
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const inputs: unknown[] = [
      undefined,
      '',
      42,
      'not base64 at all!',
      b64('not xml'),
      b64('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "boom">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>'),
      b64('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>'),
      b64('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><unclosed></samlp:Response>'),
      'A'.repeat(400_000),
    ];
    for (const SAMLResponse of inputs) {
      expect(await consumeResponse(bed.ctx, bed.provider, { SAMLResponse })).toMatchObject({ error: 'saml_bad_response' });
    }
    const { fields } = await answered(bed, 'ok');
    expect(await consumeResponse(bed.ctx, bed.provider, { ...fields, RelayState: 'x'.repeat(2000) })).toMatchObject({ error: 'saml_bad_response' });
  });

  it('routes a response at the shared ACS to its provider: by our request, by audience, by issuer', async () => {
    const bed = await samlTestbed(await open());
    const other = bed.withProvider({ name: 'Other SSO' });
    const providers = [other, bed.provider];
    const { fields } = await answered(bed, 'ok');
    expect((await findProvider(bed.ctx, providers, fields))?.name).toBe('Acme SSO');
    // Unsolicited: the audience names our per-provider SP entity ID.
    const unsolicited = await bed.idp.response({ inResponseTo: null });
    expect((await findProvider(bed.ctx, providers, { SAMLResponse: unsolicited }))?.name).toBe('Acme SSO');
    // Encrypted (no readable audience): the issuer, if one provider alone has that IdP.
    const encrypted = await bed.idp.response({ inResponseTo: null, scenario: 'encrypted' });
    expect((await findProvider(bed.ctx, [bed.provider], { SAMLResponse: encrypted }))?.name).toBe('Acme SSO');
    expect(await findProvider(bed.ctx, providers, { SAMLResponse: encrypted })).toBeNull();
    expect(await findProvider(bed.ctx, providers, { SAMLResponse: 'garbage' })).toBeNull();
  });

  it('the browser path: the IdP page posts to the ACS and can be replayed from the IdP', async () => {
    const bed = await samlTestbed(await open());
    const { post } = await signInAtIdp(bed);
    expect(bed.idp.lastPost).toEqual(post);
    expect(await consumeResponse(bed.ctx, bed.provider, post.fields)).toMatchObject({ ok: {} });
    const replay = await follow({ binding: 'redirect', url: `${bed.idp.url}/replay`, messageId: '' });
    expect(replay.page).toEqual(post);
    expect(await consumeResponse(bed.ctx, bed.provider, replay.page!.fields)).toMatchObject({ error: 'saml_replay' });
  });
});
