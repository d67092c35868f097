import type { Method, MethodKind } from './method';
import { password } from './password';
import { totp } from './totp';
import { emailCode } from './email-code';
import { smsCode } from './sms-code';
import { passkey } from './passkey';
import { recoveryCode } from './recovery-code';
import { magicLink } from './magic-link';

/**
 * Every way to prove who one is, in the order the screens offer them (and the gate prefers them).
 * A new method: its file here, its kind in `MethodKind`, one line below.
 */
export const methods = {
  password,
  totp,
  email: emailCode,
  sms: smsCode,
  webauthn: passkey,
  recovery: recoveryCode,
  magic_link: magicLink,
} satisfies Record<MethodKind, Method>;

/** Whether a kind read from a stored step or a form is one of the built-ins (the screens key their parts by it). */
export const isMethodKind = (kind: string): kind is MethodKind => Object.hasOwn(methods, kind);
