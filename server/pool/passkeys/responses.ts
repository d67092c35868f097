import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import { safeText } from '../input';

/**
 * What a browser sends back from a ceremony, checked before the library sees it: base64url
 * strings of bounded size, nothing else. Anything malformed is one refusal, never a crash.
 */
const b64url = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9_-]*$/);
const credentialId = b64url(1366).min(1); // 1023 bytes at most (WebAuthn)
const extensions = z.record(z.string(), z.unknown()).default({});
const attachment = z.enum(['platform', 'cross-platform']).optional();

const registrationSchema = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url(4096),
    attestationObject: b64url(32768),
    authenticatorData: b64url(16384).optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url(16384).optional(),
  }),
  clientExtensionResults: extensions,
  authenticatorAttachment: attachment,
});

const authenticationSchema = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url(4096),
    authenticatorData: b64url(16384),
    signature: b64url(8192),
    userHandle: b64url(128).optional(),
  }),
  clientExtensionResults: extensions,
  authenticatorAttachment: attachment,
});

/** Accepts the object, or its JSON text as a form field carries it. */
function parse<T>(schema: z.ZodType<T>, input: unknown): T | undefined {
  let value = input;
  if (typeof input === 'string') {
    if (input.length > 65536) return undefined;
    try {
      value = JSON.parse(input);
    } catch {
      return undefined;
    }
  }
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

export const parseRegistration = (input: unknown) => parse(registrationSchema, input) as RegistrationResponseJSON | undefined;
export const parseAuthentication = (input: unknown) => parse(authenticationSchema, input) as AuthenticationResponseJSON | undefined;

/** The name a user gives a passkey: printable, 1 to 64 characters. */
export const passkeyName = safeText(64).refine((s) => s.length > 0, { message: 'required' });
