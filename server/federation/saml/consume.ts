import { promisify } from 'node:util';
import { decrypt } from 'xml-encryption';
import { attempt, fromNodeSaml, SamlError, type SamlResult } from './errors';
import { CLOCK_SKEW_MS, nodeSaml, setUp, type ProviderSetup, type SamlContext } from './client';
import type { SamlProvider } from './provider';
import { consumeRequest, markAccepted } from './store';
import { attr, BEARER, child, children, decodeBase64, descendants, is, NS, parseXml, serialize, text } from './xml';

/** A signed-in subject, as the IdP asserted it. */
export interface SamlSignIn {
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
  /** Attribute Name → its values (text), from the signed assertion. */
  attributes: Record<string, string[]>;
  /** The AuthnRequest this answers; null for an IdP-initiated sign-in. */
  inResponseTo: string | null;
  relayState: string | null;
  /** The IdP's entity ID. */
  issuer: string;
  assertionId: string;
  /**
   * When the IdP authenticated the subject: the latest AuthnStatement's AuthnInstant (ms) of the
   * signed assertion; null when it has none (or none that is a date). Only a test sign-in, which
   * sent ForceAuthn, requires it (./protocol.ts).
   */
  authnInstant: number | null;
}

/** The largest SAMLResponse we read (decoded). */
export const RESPONSE_MAX_BYTES = 256 * 1024;
/** An assertion issued longer ago than this is refused, whatever its NotOnOrAfter says. */
export const ASSERTION_MAX_AGE_MS = 60 * 60_000;
/** RelayState as echoed by IdPs (an IdP-initiated one may be a URL); longer is refused. */
const RELAY_STATE_READ_MAX = 1024;

/**
 * The assertion consumer service (HTTP-POST binding): validates a SAMLResponse from this
 * provider's IdP and returns who signed in. node-saml checks the XML signature (on the response
 * or the assertion, with the IdP's metadata certificates, refusing wrapped or extra assertions),
 * decrypts an EncryptedAssertion with our key, and checks audience and Conditions time window;
 * then, on the signed assertion only, we check the issuer, the bearer SubjectConfirmation's
 * Recipient (our ACS) and time window, that the assertion ID is new (replay), and that
 * InResponseTo is a pending request of ours for this provider with the same RelayState, taken
 * once; without InResponseTo only when the provider allows IdP-initiated sign-in.
 */
export async function consumeResponse(
  ctx: SamlContext,
  provider: SamlProvider,
  body: { SAMLResponse?: unknown; RelayState?: unknown },
): Promise<SamlResult<SamlSignIn>> {
  return attempt(async () => {
    const relayState = readRelayState(body.RelayState);
    const decoded = decodeBase64(body.SAMLResponse, RESPONSE_MAX_BYTES);
    if (!decoded) throw new SamlError('saml_bad_response', 'SAMLResponse missing, not base64 or too large');
    const doc = parseXml(decoded.toString('utf8'));
    const root = doc?.documentElement;
    if (!is(root, NS.protocol, 'Response')) throw new SamlError('saml_bad_response', 'not a samlp:Response');

    const setup = await setUp(ctx, provider);
    precheck(setup, root);
    await checkSignaturePresent(setup, root);

    let profile;
    try {
      ({ profile } = await nodeSaml(setup).validatePostResponseAsync({ SAMLResponse: decoded.toString('base64') }));
    } catch (e) {
      throw fromNodeSaml(e);
    }
    if (!profile?.getAssertionXml) throw new SamlError('saml_idp_status', 'no assertion (NoPassive)');
    const assertion = parseXml(profile.getAssertionXml())?.documentElement;
    if (!is(assertion, NS.assertion, 'Assertion')) throw new SamlError('saml_bad_response', 'signed content is not an Assertion');

    if (!profile.nameID) throw new SamlError('saml_bad_response', 'no NameID');
    const checked = checkAssertion(setup, root, assertion);
    if (checked.inResponseTo === null && !provider.idp_initiated) {
      throw new SamlError('saml_unsolicited', 'no InResponseTo and IdP-initiated sign-in is off');
    }
    const fresh = await markAccepted(ctx.db, { provider: provider.name, messageId: checked.assertionId, expiresAt: checked.acceptableUntil });
    if (!fresh) throw new SamlError('saml_replay', `assertion ${checked.assertionId} was accepted before`);
    if (checked.inResponseTo !== null) {
      const pending = await consumeRequest(ctx.db, { id: checked.inResponseTo, provider: provider.name, kind: 'authn' });
      if (!pending) throw new SamlError('saml_unknown_request', `no pending request ${checked.inResponseTo}`);
      if (pending.relayState !== relayState) throw new SamlError('saml_unknown_request', 'RelayState differs from the request');
    }
    return {
      nameId: profile.nameID,
      nameIdFormat: profile.nameIDFormat ?? null,
      sessionIndex: profile.sessionIndex ?? null,
      attributes: attributesOf(assertion),
      inResponseTo: checked.inResponseTo,
      relayState,
      issuer: setup.idp.entityId,
      assertionId: checked.assertionId,
      authnInstant: authnInstantOf(assertion),
    };
  });
}

function readRelayState(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > RELAY_STATE_READ_MAX) throw new SamlError('saml_bad_response', 'RelayState unusable');
  return value;
}

/** What the (possibly unsigned) envelope says, refused early when it names someone else. */
function precheck({ idp, sp, provider }: ProviderSetup, root: Element): void {
  const destination = attr(root, 'Destination');
  if (destination !== undefined && destination !== sp.acsUrl) throw new SamlError('saml_recipient', `Destination ${destination}`);
  const issuer = text(child(root, NS.assertion, 'Issuer'));
  if (issuer !== undefined && issuer !== idp.entityId) throw new SamlError('saml_issuer', `Response Issuer ${issuer}`);
  if (provider.want_encrypted_assertions && children(root, NS.assertion, 'Assertion').length > 0) {
    throw new SamlError('saml_unencrypted', 'a plain Assertion where encrypted ones are required');
  }
}

const decryptXml = promisify(decrypt) as (xml: string, options: Parameters<typeof decrypt>[1]) => Promise<string>;

/**
 * Tells an unsigned response (saml_unsigned) from one whose signature fails (saml_bad_signature),
 * which node-saml reports alike. An encrypted assertion is decrypted to look inside it; the
 * insecure RSA PKCS#1 v1.5 key transport and 3DES are refused here, before node-saml sees them.
 */
async function checkSignaturePresent({ keys }: ProviderSetup, root: Element): Promise<void> {
  const encrypted = children(root, NS.assertion, 'EncryptedAssertion');
  const plain = children(root, NS.assertion, 'Assertion');
  if (encrypted.length + plain.length === 0) return; // a status answer: node-saml reports it
  let signatures = descendants(root, NS.dsig, 'Signature').length;
  for (const e of encrypted) {
    if (!child(e, NS.xenc, 'EncryptedData')) throw new SamlError('saml_decrypt', 'EncryptedAssertion without EncryptedData');
    let inner: string;
    try {
      inner = await decryptXml(serialize(e), { key: keys.encryption.privateKeyPem, disallowDecryptionWithInsecureAlgorithm: true, warnInsecureAlgorithm: false });
    } catch (err) {
      throw new SamlError('saml_decrypt', (err as Error).message);
    }
    const decrypted = parseXml(inner);
    if (!decrypted) throw new SamlError('saml_decrypt', 'decrypted content is not XML');
    signatures += descendants(decrypted.documentElement, NS.dsig, 'Signature').length;
  }
  if (signatures === 0) throw new SamlError('saml_unsigned', 'neither the response nor the assertion is signed');
}

interface CheckedAssertion {
  assertionId: string;
  inResponseTo: string | null;
  /** Until when the assertion could be accepted: its replay entry is kept that long. */
  acceptableUntil: number;
}

/** Checks, on the signed assertion, what node-saml leaves to us. */
function checkAssertion({ idp, sp }: ProviderSetup, root: Element, assertion: Element): CheckedAssertion {
  const now = Date.now();
  const issuer = text(child(assertion, NS.assertion, 'Issuer'));
  if (issuer !== idp.entityId) throw new SamlError('saml_issuer', `Assertion Issuer ${issuer ?? '(none)'}`);
  const assertionId = attr(assertion, 'ID');
  if (!assertionId) throw new SamlError('saml_bad_response', 'Assertion without ID');
  const issuedAt = time(attr(assertion, 'IssueInstant'), 'IssueInstant');
  if (issuedAt - CLOCK_SKEW_MS > now) throw new SamlError('saml_not_yet_valid', 'issued in the future');
  if (issuedAt + ASSERTION_MAX_AGE_MS + CLOCK_SKEW_MS <= now) throw new SamlError('saml_expired', 'issued too long ago');

  // The Web SSO profile: a bearer confirmation with our ACS as Recipient and a NotOnOrAfter.
  const subject = child(assertion, NS.assertion, 'Subject');
  const bearers = (subject ? children(subject, NS.assertion, 'SubjectConfirmation') : [])
    .filter((c) => attr(c, 'Method') === BEARER)
    .flatMap((c) => children(c, NS.assertion, 'SubjectConfirmationData'));
  const forUs = bearers.filter((d) => attr(d, 'Recipient') === sp.acsUrl);
  if (forUs.length === 0) throw new SamlError('saml_recipient', 'no bearer SubjectConfirmation with our ACS as Recipient');
  const current = forUs.filter((d) => {
    const notBefore = attr(d, 'NotBefore');
    return notBefore === undefined || time(notBefore, 'NotBefore') - CLOCK_SKEW_MS <= now;
  });
  if (current.length === 0) throw new SamlError('saml_not_yet_valid', 'SubjectConfirmationData NotBefore ahead');
  const valid = current.find((d) => time(attr(d, 'NotOnOrAfter'), 'NotOnOrAfter') + CLOCK_SKEW_MS > now);
  if (!valid) throw new SamlError('saml_expired', 'SubjectConfirmationData NotOnOrAfter passed');

  const confirmed = attr(valid, 'InResponseTo');
  const enveloped = attr(root, 'InResponseTo');
  if (confirmed !== undefined && enveloped !== undefined && confirmed !== enveloped) {
    throw new SamlError('saml_unknown_request', 'InResponseTo of the response and of the assertion differ');
  }
  const conditions = child(assertion, NS.assertion, 'Conditions');
  const ends = [time(attr(valid, 'NotOnOrAfter'), 'NotOnOrAfter'), issuedAt + ASSERTION_MAX_AGE_MS];
  const conditionsEnd = attr(conditions, 'NotOnOrAfter');
  if (conditionsEnd) ends.push(time(conditionsEnd, 'NotOnOrAfter'));
  return { assertionId, inResponseTo: confirmed ?? enveloped ?? null, acceptableUntil: Math.min(...ends) + CLOCK_SKEW_MS };
}

function time(value: string | undefined, name: string): number {
  const t = value ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw new SamlError('saml_bad_response', `${name} missing or not a date`);
  return t;
}

/** The latest AuthnInstant of the assertion's AuthnStatements; null when none is a date. */
function authnInstantOf(assertion: Element): number | null {
  const instants = children(assertion, NS.assertion, 'AuthnStatement')
    .map((s) => Date.parse(attr(s, 'AuthnInstant') ?? ''))
    .filter((t) => !Number.isNaN(t));
  return instants.length > 0 ? Math.max(...instants) : null;
}

function attributesOf(assertion: Element): Record<string, string[]> {
  const attributes: Record<string, string[]> = Object.create(null);
  for (const statement of children(assertion, NS.assertion, 'AttributeStatement')) {
    for (const a of children(statement, NS.assertion, 'Attribute')) {
      const name = attr(a, 'Name');
      if (!name) continue;
      const values = children(a, NS.assertion, 'AttributeValue').map((v) => v.textContent ?? '');
      attributes[name] = [...(attributes[name] ?? []), ...values];
    }
  }
  return attributes;
}
