import { expect, it } from 'vitest';
import en from '@/messages/en.json';
import { flatMessages } from '@/server/pool/custom-text';
import { isPreviewScreen, previewMessage } from '@/app/_lib/preview';
import { previewScreenOf } from './screens';

it('previews an e-mail’s or a text message’s keys on that message, other keys on a screen of their group', () => {
  expect(previewScreenOf('email.confirmSignUp.subject')).toBe('email-confirmSignUp');
  expect(previewScreenOf('email.magicLink.body')).toBe('email-magicLink');
  expect(previewScreenOf('email.securityChange.body')).toBe('email-security-totp_added');
  expect(previewScreenOf('sms.mfaCode')).toBe('sms-mfaCode');
  expect(previewScreenOf('sms.outboxNote')).toBe('mfa-sms');
  expect(previewScreenOf('account.password.title')).toBe('account-password');
  expect(previewScreenOf('account.title')).toBe('account');
  expect(previewScreenOf('consent.title')).toBe('consent');
  expect(previewScreenOf('login.title')).toBe('login');
  expect(previewScreenOf('logout.confirm')).toBe('logout');
  expect(previewScreenOf('logout.doneBody')).toBe('signed-out');
  expect(previewScreenOf('federation.errors.denied')).toBe('federation-error');
  expect(previewScreenOf('federation.link.title')).toBe('federation-link');
  expect(previewScreenOf('passwordless.linkSubmit')).toBe('magic-link');
  expect(previewScreenOf('passwordless.codeTitle')).toBe('passwordless');
  // Every e-mail and text message key of the catalogue opens its message's preview.
  for (const key of flatMessages({ email: en.email, sms: en.sms }).keys()) {
    const screen = previewScreenOf(key);
    expect(isPreviewScreen(screen), key).toBe(true);
    const shown = previewMessage(screen);
    if (key.startsWith('email.')) expect(shown?.channel, key).toBe('email');
    else if (Object.hasOwn(en.sms, key.slice(4)) && shown) expect(shown.template.kind, key).toBe(key.slice(4));
  }
});
