/**
 * A software WebAuthn authenticator for tests: real ES256 keys (node:crypto), real CBOR, real
 * signatures, so the server's checks run exactly as against a browser. Each call can be bent
 * (origin, RP ID, counter, flags) to test what the server must refuse.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

interface Held {
  id: Buffer;
  key: KeyObject;
  userHandle: string;
  counter: number;
}

export interface Bend {
  origin?: string;
  rpId?: string;
  challenge?: string;
  /** The signature counter to report (by default the last one plus one). */
  counter?: number;
  userVerified?: boolean;
  /** Register the first credential held again instead of a new one. */
  reuse?: boolean;
  /** Answer with this credential (by default the first the options allow, or the first held). */
  credentialId?: string;
  userHandle?: string;
  type?: string;
}

export class SoftAuthenticator {
  readonly held: Held[] = [];
  constructor(
    private readonly origin: string,
    private readonly opts: { userVerified?: boolean; backupEligible?: boolean; aaguid?: Buffer } = {},
  ) {}

  private flags(extra: number, bend: Bend): number {
    const uv = bend.userVerified ?? this.opts.userVerified ?? true;
    const backup = this.opts.backupEligible ? 0x08 | 0x10 : 0; // BE and BS: a synced passkey
    return 0x01 | (uv ? 0x04 : 0) | backup | extra;
  }

  private clientData(type: string, challenge: string, bend: Bend): Buffer {
    return Buffer.from(JSON.stringify({ type: bend.type ?? type, challenge: bend.challenge ?? challenge, origin: bend.origin ?? this.origin, crossOrigin: false }));
  }

  register(options: PublicKeyCredentialCreationOptionsJSON, bend: Bend = {}): RegistrationResponseJSON {
    const reused = bend.reuse ? this.held[0] : undefined;
    const { privateKey, publicKey } = reused ? { privateKey: reused.key, publicKey: createPublicKey(reused.key) } : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const id = reused?.id ?? randomBytes(32);
    const counter = bend.counter ?? 0;
    const length = Buffer.alloc(2);
    length.writeUInt16BE(id.length);
    const authData = Buffer.concat([
      sha256(bend.rpId ?? options.rp.id!),
      Buffer.from([this.flags(0x40, bend)]), // AT: attested credential data follows
      u32(counter),
      this.opts.aaguid ?? Buffer.alloc(16),
      length,
      id,
      Buffer.from(cose),
    ]);
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]) as never);
    if (!reused) this.held.push({ id, key: privateKey, userHandle: options.user.id, counter });
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: 'public-key',
      response: { clientDataJSON: b64url(this.clientData('webauthn.create', options.challenge, bend)), attestationObject: b64url(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  authenticate(options: PublicKeyCredentialRequestOptionsJSON, bend: Bend = {}): AuthenticationResponseJSON {
    const allowed = (options.allowCredentials ?? []).map((c) => c.id);
    const wanted = bend.credentialId ?? allowed.find((a) => this.held.some((h) => b64url(h.id) === a)) ?? (this.held[0] ? b64url(this.held[0].id) : undefined);
    const cred = this.held.find((h) => b64url(h.id) === wanted);
    if (!cred && !bend.credentialId) throw new Error('this authenticator holds no credential for these options');
    const key = cred?.key ?? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const counter = bend.counter ?? (cred ? cred.counter + 1 : 1);
    if (cred) cred.counter = counter;
    const authData = Buffer.concat([sha256(bend.rpId ?? options.rpId!), Buffer.from([this.flags(0, bend)]), u32(counter)]);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, bend);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), key); // DER, as authenticators send
    return {
      id: wanted!,
      rawId: wanted!,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: bend.userHandle ?? cred?.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
