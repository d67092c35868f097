/** A test IdP and a SAML provider record wired to it, for the SAML service-provider tests. */
import { startSamlIdp, readPostPage, type SamlIdp, type SamlIdpOptions } from './saml-idp';
import type { Db } from '../db/connect';
import type { SamlContext } from '../federation/saml/client';
import { startLogin, type SamlOutbound } from '../federation/saml/login';
import { samlProviderSchema, type SamlProvider, type SamlProviderInput } from '../federation/saml/provider';
import { newKeyAndCertificate } from '../federation/saml/certificate';
import { SP_KEYS_SECRET, type SpKeys } from '../federation/saml/sp-keys';
import { spMetadataXml } from '../federation/saml/sp-metadata';

export const TEST_PUBLIC_URL = 'http://foyer.test:3000';

export interface SamlTestbed {
  idp: SamlIdp;
  ctx: SamlContext;
  provider: SamlProvider;
  /** Another record for the same IdP, with other settings. */
  withProvider(changes: Partial<SamlProviderInput>): SamlProvider;
}

const started: SamlIdp[] = [];

/** Stops every IdP started by samlTestbed; call it in afterEach. */
export async function stopTestIdps(): Promise<void> {
  await Promise.all(started.splice(0).map((idp) => idp.stop()));
}

let spKeys: SpKeys | undefined;

/**
 * RSA key generation is slow on a busy machine: every test database gets the same SP keys (made
 * once per process) in its `secrets` row; sp-keys.test.ts covers making them.
 */
async function seedSpKeys(db: Db): Promise<void> {
  spKeys ??= { signing: newKeyAndCertificate('Test SP signing'), encryption: newKeyAndCertificate('Test SP encryption') };
  await db.kysely.insertInto('secrets').values({ name: SP_KEYS_SECRET, value: JSON.stringify(spKeys), created_at: Date.now() }).execute();
}

export async function samlTestbed(db: Db, options: { provider?: Partial<SamlProviderInput>; idp?: SamlIdpOptions } = {}): Promise<SamlTestbed> {
  await seedSpKeys(db);
  const idp = await startSamlIdp(options.idp);
  started.push(idp);
  const ctx: SamlContext = { db: db.kysely, publicUrl: TEST_PUBLIC_URL };
  const base = { name: 'Acme SSO', metadata_xml: idp.metadataXml, attribute_mapping: { email: 'email', given_name: 'given_name' } };
  const provider = samlProviderSchema.parse({ ...base, ...options.provider });
  idp.registerMetadata(await spMetadataXml(ctx, provider));
  return { idp, ctx, provider, withProvider: (changes) => samlProviderSchema.parse({ ...base, ...options.provider, ...changes }) };
}

/** Carries an outbound message the way a browser would (GET the URL, or POST the form) and reads the answer page's form. */
export async function follow(outbound: SamlOutbound): Promise<{ status: number; location: string | null; page?: { action: string; fields: Record<string, string> } }> {
  const res =
    outbound.binding === 'redirect'
      ? await fetch(outbound.url, { redirect: 'manual' })
      : await fetch(outbound.url, { method: 'POST', body: new URLSearchParams(outbound.fields), redirect: 'manual' });
  const html = await res.text();
  return { status: res.status, location: res.headers.get('location'), page: res.status === 200 && html.includes('<form') ? readPostPage(html) : undefined };
}

/** SP-initiated sign-in through the test IdP, up to the form the browser would post to our ACS. */
export async function signInAtIdp(bed: SamlTestbed, provider = bed.provider, relayState = 'interaction-uid-1') {
  const started = await startLogin(bed.ctx, provider, { relayState });
  if (!('ok' in started)) throw new Error(`startLogin failed: ${started.error} ${started.detail}`);
  const answer = await follow(started.ok);
  if (!answer.page) throw new Error(`the test IdP answered ${answer.status}`);
  return { request: started.ok, post: answer.page };
}
