import { describe, expect, it } from 'vitest';
import { overrideProblems, type OverrideProblemCode } from './validate';

/** Each row: locale, key, text, and the problem codes expected (none: accepted). */
const cases: [string, string, string, string, OverrideProblemCode[]][] = [
  ['a plain reword', 'fr', 'login.title', 'Connexion à votre espace', []],
  ['the same placeholder, moved', 'de', 'login.subtitle', 'Weiter zu {app}, bitte anmelden', []],
  ['a plural with the locale’s categories', 'ar', 'signup.lengthAtLeast', '{min, plural, zero {لا شيء} one {حرف واحد} two {حرفان} few {# أحرف} many {# حرفًا} other {# حرف}} على الأقل.', []],
  ['a plural with an exact case', 'en', 'signup.lengthAtLeast', 'At least {min, plural, =1 {one character} other {# characters}}.', []],
  ['the rich-text tag kept', 'en', 'sms.devOutboxNotice', 'Texts stay here: see the <link>outbox</link>.', []],
  ['an unknown key', 'en', 'login.nope', 'Hello', ['unknown_key']],
  ['an unknown locale', 'xx', 'login.title', 'Hello', ['unknown_locale']],
  ['a missing placeholder', 'en', 'login.subtitle', 'to continue', ['missing_argument']],
  ['an extra placeholder', 'en', 'login.title', 'Sign in, {name}', ['extra_argument']],
  ['bad ICU (unclosed brace)', 'en', 'login.subtitle', 'to continue to {app', ['bad_icu']],
  ['a plural without other', 'en', 'signup.lengthAtLeast', 'At least {min, plural, one {# character}}.', ['bad_icu']],
  ['a plural category English lacks', 'en', 'signup.lengthAtLeast', 'At least {min, plural, one {#} few {#} other {#}}.', ['plural_category']],
  ['a plain argument made a plural (as translations do)', 'en', 'login.subtitle', 'to {app, plural, one {#} other {#}}', []],
  ['a select argument printed raw', 'en', 'email.securityChange.body', 'Your {pool} account changed: {change}.', ['argument_kind']],
  ['a select case the code never sends', 'en', 'email.securityChange.body', '{change, select, totp_added {App added to {pool}.} hacked {Oops} other {Changed in {pool}.}}', ['select_option']],
  ['HTML', 'en', 'login.title', 'Sign <b>in</b>', ['tag']],
  ['a script tag', 'en', 'login.title', '<script>alert(1)</script>', ['tag']],
  ['the tag dropped', 'en', 'sms.devOutboxNotice', 'Texts stay here.', ['missing_tag']],
  ['empty', 'en', 'login.title', '   ', ['empty']],
  ['too long', 'en', 'login.title', 'x'.repeat(2001), ['too_long']],
  ['a control character', 'en', 'login.title', 'Sign\u0007in', ['control_characters']],
  ['both ways wrong', 'en', 'login.subtitle', 'to continue to {client}', ['missing_argument', 'extra_argument']],
];

describe('custom text checks', () => {
  it.each(cases)('%s', (_title, locale, key, text, codes) => {
    const problems = overrideProblems(locale, key, text);
    expect(problems.map((p) => p.code)).toEqual(codes);
    for (const p of problems) expect(p.message.length).toBeGreaterThan(5);
  });

  it('names the placeholder and where the ICU error is', () => {
    expect(overrideProblems('en', 'login.subtitle', 'to continue').map((p) => p.message)).toEqual(['the placeholder {app} is missing']);
    expect(overrideProblems('en', 'login.subtitle', 'to {app').map((p) => p.message)[0]).toMatch(/^not a valid ICU message: .* at character \d+$/);
  });

  it('every catalogue message is a valid override of itself in English and Arabic (the checks accept what ships)', async () => {
    const { englishMessages } = await import('./validate');
    const ar = (await import('../../../messages/ar.json')).default as unknown as Record<string, Record<string, unknown>>;
    const at = (key: string) => key.split('.').reduce<unknown>((n, k) => (n && typeof n === 'object' ? (n as Record<string, unknown>)[k] : undefined), ar);
    for (const [key, text] of englishMessages) {
      expect(overrideProblems('en', key, text), key).toEqual([]);
      const translated = at(key);
      if (typeof translated === 'string') expect(overrideProblems('ar', key, translated), key).toEqual([]);
    }
  });
});
