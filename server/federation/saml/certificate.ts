import { createPublicKey, createSign, generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COMMON_NAME = '2.5.4.3';

export interface KeyAndCertificate {
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** X.509 PEM. */
  certificatePem: string;
}

/**
 * A self-signed X.509 certificate for the key pair of `privateKey`: SAML carries public keys inside certificates, and
 * peers only look at the key (metadata is the trust anchor), so a plain self-signed one will do.
 */
export function selfSignedCertificate(privateKey: KeyObject, commonName: string, validDays: number): string {
  const algorithm = new AlgorithmIdentifier({ algorithm: SHA256_WITH_RSA, parameters: null });
  const name = new Name([
    new RelativeDistinguishedName([new AttributeTypeAndValue({ type: COMMON_NAME, value: new AttributeValue({ utf8String: commonName }) })]),
  ]);
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x3f) | 0x40; // positive, and no leading zero byte (DER wants the shortest form)
  const notBefore = new Date(Date.now() - 60_000);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: new Uint8Array(serial).buffer,
    signature: algorithm,
    issuer: name,
    validity: new Validity({ notBefore, notAfter: new Date(notBefore.getTime() + validDays * 86_400_000) }),
    subject: name,
    subjectPublicKeyInfo: AsnConvert.parse(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo),
  });
  const signature = createSign('sha256').update(Buffer.from(AsnConvert.serialize(tbs))).sign(privateKey);
  const der = Buffer.from(
    AsnConvert.serialize(new Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue: new Uint8Array(signature).buffer })),
  );
  return new X509Certificate(der).toString();
}

/** A fresh RSA 2048 key pair and its self-signed certificate. */
export function newKeyAndCertificate(commonName: string, validDays = 3650): KeyAndCertificate {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem: selfSignedCertificate(privateKey, commonName, validDays),
  };
}

/** The base64 DER body of a PEM certificate, as XML signatures and metadata carry it. */
export function certificateBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/** A PEM certificate from a base64 DER body (whitespace ignored). */
export function certificatePem(body: string): string {
  const compact = body.replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${compact.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
}
