import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSamlIdp, type SamlIdp } from '../../testing/saml-idp';
import { certificateBody, newKeyAndCertificate } from './certificate';
import { forgetFetchedMetadata, parseIdpMetadata, resolveIdpMetadata } from './idp-metadata';
import { importIdpMetadata } from './import';

const servers: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  vi.useRealTimers();
  forgetFetchedMetadata();
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function idp(options?: Parameters<typeof startSamlIdp>[0]): Promise<SamlIdp> {
  const started = await startSamlIdp(options);
  servers.push(started);
  return started;
}

/** A plain HTTP server answering every request with `handler`. */
async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata`;
}

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const cert = certificateBody(newKeyAndCertificate('Other IdP').certificatePem);
const entity = (id: string, inner = '') =>
  `<md:EntityDescriptor xmlns:md="${MD}" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${id}">` +
  `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
  (inner ||
    `<md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\n${cert.match(/.{1,64}/g)?.join('\n')}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
      `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://${id}/sso"/>`) +
  `</md:IDPSSODescriptor></md:EntityDescriptor>`;

describe('IdP metadata import', () => {
  it('reads entity ID, SSO and SLO services by binding, signing certificates and flags', async () => {
    const fixture = await idp({ sloBindings: ['redirect'] });
    const md = parseIdpMetadata(fixture.metadataXml);
    expect(md).toEqual({
      entityId: fixture.entityId,
      sso: { redirect: `${fixture.url}/sso`, post: `${fixture.url}/sso` },
      slo: { redirect: { url: `${fixture.url}/slo`, responseUrl: `${fixture.url}/slo` } },
      signingCertificates: [certificateBody(fixture.key.certificatePem)],
      wantAuthnRequestsSigned: true,
      nameIdFormats: ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
    });
  });

  it('takes the one IdP of an EntitiesDescriptor, or the one named; certificates without `use` sign', async () => {
    const both = `<md:EntitiesDescriptor xmlns:md="${MD}">${entity('a.example.test')}${entity('b.example.test')}</md:EntitiesDescriptor>`;
    await expect(importIdpMetadata({ xml: both })).resolves.toMatchObject({ error: 'saml_metadata_invalid' });
    const md = parseIdpMetadata(both, { entityId: 'b.example.test' });
    expect(md).toMatchObject({ entityId: 'b.example.test', sso: { post: 'https://b.example.test/sso' }, slo: {}, signingCertificates: [cert], wantAuthnRequestsSigned: false });
    const one = `<md:EntitiesDescriptor xmlns:md="${MD}">${entity('only.example.test')}</md:EntitiesDescriptor>`;
    expect(parseIdpMetadata(one).entityId).toBe('only.example.test');
  });

  it.each([
    ['not XML', 'hello'],
    ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${entity('x.test')}`],
    ['no IdP', `<md:EntityDescriptor xmlns:md="${MD}" entityID="sp"><md:SPSSODescriptor/></md:EntityDescriptor>`],
    ['no SSO service', entity('x.test', `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)],
    ['no signing certificate', entity('x.test', `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://x.test/sso"/>`)],
    [
      'a broken certificate',
      entity('x.test', `<md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://x.test/sso"/>`),
    ],
    ['a javascript: SSO URL', entity('x.test').replace('https://x.test/sso', 'javascript:alert(1)')],
  ])('refuses metadata with %s as saml_metadata_invalid', async (_what, xml) => {
    expect(await importIdpMetadata({ xml })).toMatchObject({ error: 'saml_metadata_invalid' });
  });

  it('fetches metadata from a URL (the test IdP) and keeps the XML', async () => {
    const fixture = await idp();
    const imported = await importIdpMetadata({ url: fixture.metadataUrl });
    expect(imported).toEqual({ ok: { metadata: parseIdpMetadata(fixture.metadataXml), xml: fixture.metadataXml } });
  });

  it('reports an unreachable URL, an error status, a slow answer and an oversized one, each by its code', async () => {
    const fixture = await idp();
    const down = fixture.metadataUrl;
    await fixture.stop();
    expect(await importIdpMetadata({ url: down })).toMatchObject({ error: 'saml_metadata_fetch' });
    const missing = await serve((_req, res) => res.writeHead(404).end('no'));
    expect(await importIdpMetadata({ url: missing })).toMatchObject({ error: 'saml_metadata_fetch', detail: expect.stringContaining('404') });
    const slow = await serve((_req, res) => void setTimeout(() => res.end(entity('slow.test')), 2_000));
    expect(await importIdpMetadata({ url: slow }, { timeoutMs: 300 })).toMatchObject({ error: 'saml_metadata_timeout' });
    const trickle = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.write('<md:EntityDescriptor');
      setTimeout(() => res.end('/>'), 2_000);
    });
    expect(await importIdpMetadata({ url: trickle }, { timeoutMs: 300 })).toMatchObject({ error: 'saml_metadata_timeout' });
    const declared = await serve((_req, res) => res.writeHead(200, { 'content-length': String(5_000_000) }).end());
    expect(await importIdpMetadata({ url: declared })).toMatchObject({ error: 'saml_metadata_too_large' });
    const chunked = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      const chunk = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 20; i++) res.write(chunk);
      res.end();
    });
    expect(await importIdpMetadata({ url: chunked })).toMatchObject({ error: 'saml_metadata_too_large' });
    expect(await importIdpMetadata({ url: 'file:///etc/passwd' })).toMatchObject({ error: 'saml_metadata_fetch' });
  });

  it('a provider with metadata_url: fetched once, reused, and still served while the URL fails', async () => {
    let hits = 0;
    const xml = entity('cached.example.test');
    let up = true;
    const url = await serve((_req, res) => {
      hits++;
      if (up) res.writeHead(200).end(xml);
      else res.writeHead(503).end();
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    const first = await resolveIdpMetadata({ metadata_url: url });
    expect(await resolveIdpMetadata({ metadata_url: url })).toEqual(first);
    expect(hits).toBe(1);
    vi.setSystemTime(Date.now() + 2 * 60 * 60_000);
    up = false;
    expect(await resolveIdpMetadata({ metadata_url: url })).toEqual(first);
    expect(hits).toBe(2);
    forgetFetchedMetadata(url);
    await expect(resolveIdpMetadata({ metadata_url: url })).rejects.toMatchObject({ code: 'saml_metadata_fetch' });
  });
});
