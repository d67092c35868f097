import type { ProviderType } from '../config/identity-providers';
import * as input from '../pool/input';

/** What a provider's claims say about the user, in the pool's terms. */
export interface MappedProfile {
  email?: string;
  emailVerified?: boolean;
  phoneNumber?: string;
  phoneNumberVerified?: boolean;
  /** Profile and custom:* attributes. */
  attributes: Record<string, string>;
}

const oidcDefaults = { email: 'email', email_verified: 'email_verified', name: 'name', given_name: 'given_name', family_name: 'family_name' };

/**
 * The mapping used when a provider's record has no `attribute_mapping`. E-mails count as verified
 * only where the provider says so in a claim (Facebook and Amazon do not: their e-mails arrive
 * unverified, so they never lead to account linking).
 */
export function defaultMapping(type: ProviderType): Record<string, string> {
  switch (type) {
    case 'facebook':
      return { email: 'email', name: 'name', given_name: 'first_name', family_name: 'last_name' };
    case 'amazon':
      return { email: 'email', name: 'name' };
    case 'saml':
      return {};
    default:
      return oidcDefaults;
  }
}

/** A claim by exact name first (SAML attribute names contain dots), then as a dotted path. */
export function claimValue(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path];
  let at: unknown = claims;
  for (const part of path.split('.')) {
    if (!at || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** One string from a claim: scalars as text, one-element lists unwrapped, an address by its `formatted`. */
function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.every((x) => typeof x === 'string') ? (v as string[]).join(',') : undefined;
  if (v && typeof v === 'object' && typeof (v as { formatted?: unknown }).formatted === 'string') return (v as { formatted: string }).formatted;
  return undefined;
}

/** Apple sends "true" as a string; SAML attributes are text too. */
function asBoolean(v: unknown): boolean | undefined {
  const t = Array.isArray(v) ? v[0] : v;
  if (t === true || t === 'true' || t === '1') return true;
  if (t === false || t === 'false' || t === '0') return false;
  return undefined;
}

const attributeText = input.safeText(2048);

/** Applies `pool attribute -> claim`; values that are not valid for their attribute are left out. */
export function mapClaims(mapping: Record<string, string>, claims: Record<string, unknown>): MappedProfile {
  const out: MappedProfile = { attributes: {} };
  for (const [attribute, claim] of Object.entries(mapping)) {
    const raw = claimValue(claims, claim);
    if (raw === undefined || raw === null) continue;
    switch (attribute) {
      case 'email_verified':
        out.emailVerified = asBoolean(raw);
        break;
      case 'phone_number_verified':
        out.phoneNumberVerified = asBoolean(raw);
        break;
      case 'email': {
        const e = input.email.safeParse(asText(raw) ?? '');
        if (e.success) out.email = e.data;
        break;
      }
      case 'phone_number': {
        const p = input.phoneNumber.safeParse(asText(raw) ?? '');
        if (p.success) out.phoneNumber = p.data;
        break;
      }
      default: {
        const text = attributeText.safeParse(asText(raw) ?? '');
        if (text.success && text.data !== '') out.attributes[attribute] = text.data;
      }
    }
  }
  return out;
}

/** A provider subject: non-empty printable text (the rule user records follow too). */
export { providerSubject as subjectSchema } from '../config/seed';
