import { describe, expect, it } from 'vitest';
import { consoleCatalogues, consoleTranslator } from '@/i18n/console';
import { FIELD_CODES, type FieldCode } from '@/server/admin';
import { fieldReasons } from './console-problem';

const fields = {
  '/email': { name: 'email', label: 'E-mail' },
  '/redirect_uris': { name: 'redirect_uris', label: 'Redirect URIs' },
};
const en = consoleTranslator('en');
const ar = consoleTranslator('ar');

describe('the admin API’s field errors on a console form', () => {
  it('puts each reason beside the field its pointer leads to, a list item on its list, worded by its code', () => {
    const { reasons, marked } = fieldReasons(
      en,
      [
        { pointer: '/email', detail: 'Invalid email address', code: 'invalid_email', params: {} },
        { pointer: '/redirect_uris/1', detail: 'a redirect URI may not contain a fragment', code: 'no_fragment', params: {} },
        { pointer: '/redirect_uris/0', detail: 'Invalid URL', code: 'invalid_url', params: {} },
      ],
      fields,
    );
    expect(reasons).toEqual([
      { field: 'email', text: 'Not a valid e-mail address.' },
      { field: 'redirect_uris', text: '/redirect_uris/1: May not contain a fragment (#).' },
      { field: 'redirect_uris', text: '/redirect_uris/0: Not a valid URL.' },
    ]);
    expect(marked).toEqual(['E-mail', 'Redirect URIs']);
  });

  it('words a code in Arabic with its params, and keeps the English detail (marked) for a code it does not word', () => {
    const { reasons } = fieldReasons(
      ar,
      [
        { pointer: '/email', detail: 'Too big: expected string to have <=320 characters', code: 'too_long', params: { max: '320' } },
        { pointer: '/email', detail: 'only for type String', code: 'custom', params: {} },
        { pointer: '/email', detail: 'the placeholder {name} is missing', code: 'missing_argument', params: { name: '{name}' } },
      ],
      fields,
    );
    expect(reasons).toEqual([
      { field: 'email', text: '320 من الأحرف على الأكثر.' },
      { field: 'email', text: 'only for type String', lang: 'en' },
      { field: 'email', text: 'the placeholder {name} is missing', lang: 'en' },
    ]);
  });

  it('words the schemas’ formats and rules in Arabic, nothing left in English', () => {
    const { reasons } = fieldReasons(
      ar,
      [
        { pointer: '/email', detail: 'a colour is #rrggbb', code: 'invalid_colour', params: {} },
        { pointer: '/email', detail: 'letters, digits and ._~- only', code: 'allowed_chars', params: { chars: '._~-', max: '128' } },
        { pointer: '/email', detail: 'only for type Number', code: 'only_for_type', params: { type: 'Number' } },
      ],
      fields,
    );
    expect(reasons).toEqual([
      { field: 'email', text: 'ليس لونًا: استخدم الصيغة #rrggbb.' },
      { field: 'email', text: 'استخدم الأحرف اللاتينية والأرقام و._~- فقط (بحد أقصى 128 من الأحرف).' },
      { field: 'email', text: 'للسمات من النوع Number فقط.' },
    ]);
    // A CSS problem: its reason a code, the CSS it is about a param; a rule named in English (none) left out.
    const css = (params: Record<string, string>) => fieldReasons(ar, [{ pointer: '/email', detail: 'x', code: 'css_line', params: { line: '3', rule: 'none', reason: 'syntax', name: '', ...params } }], fields).reasons[0].text;
    expect(css({ rule: '".banner-customizable"', reason: 'property', name: 'position' })).toBe('السطر 3، ".banner-customizable": الخاصية position غير مسموح بها.');
    expect(css({})).toBe('السطر 3: خطأ في الصياغة.');
  });

  it('words the last generic rules in Arabic, and a low-contrast pair by the theme editor’s names for its colours and mode', () => {
    const word = (code: FieldCode, params: Record<string, string> = {}) => fieldReasons(ar, [{ pointer: '/email', detail: 'x', code, params }], fields).reasons[0];
    expect(word('allowed_chars_spaces', { chars: '_+=,.@-' })).toEqual({ field: 'email', text: 'استخدم الأحرف اللاتينية والأرقام والمسافات و_+=,.@- فقط.' });
    expect(word('lower_underscore', { max: '64' }).text).toBe('استخدم الأحرف اللاتينية الصغيرة و_ فقط (بحد أقصى 64 من الأحرف).');
    expect(word('saml_metadata_source').text).toBe('أدخل البيانات الوصفية لموفر الهوية إما في metadata_url وإما في metadata_xml: واحدًا فقط من الاثنين.');
    expect(word('no_control_characters').text).toBe('لا يجوز أن يحتوي على محارف تحكم (مثل فواصل الأسطر أو علامات الجدولة).');
    for (const code of ['link_locale', 'urn', 'trimmed_text'] as const) expect(word(code), code).not.toHaveProperty('lang');
    const pair = { mode: 'dark', fg: 'text', bg: 'surface', ratio: '1.00', min: '4.5' };
    expect(word('low_contrast', pair).text).toBe('داكن: النص على خلفية البطاقة نسبته 1.00:1، والمطلوب 4.5:1. اسمح بالتباين المنخفض للإبقاء عليه رغم ذلك.');
    expect(fieldReasons(en, [{ pointer: '/colors', detail: 'x', code: 'low_contrast', params: { ...pair, mode: 'light', fg: 'brandText', bg: 'brand' } }], {}).reasons[0].text).toBe(
      '/colors: Light: Text on the brand colour on Brand (buttons) is 1.00:1, 4.5:1 is needed. Allow low contrast to keep it anyway.',
    );
    // A colour or mode the console has no name for is shown as sent, never an error.
    expect(word('low_contrast', { ...pair, mode: 'dim', fg: 'glow' }).text).toBe('dim: glow على خلفية البطاقة نسبته 1.00:1، والمطلوب 4.5:1. اسمح بالتباين المنخفض للإبقاء عليه رغم ذلك.');
  });

  it('keeps a reason no field is mapped for, for the summary; a JSON editor takes every pointer and names it', () => {
    expect(fieldReasons(en, [{ pointer: '/scope', detail: 'unknown scope "a/b"', code: 'unknown_scope', params: { scope: 'a/b' } }], fields)).toEqual({
      reasons: [{ field: undefined, text: '/scope: There is no scope “a/b” of a resource server.' }],
      marked: [],
    });
    const editor = { '': { name: 'settings', label: 'Policies (JSON)' } };
    expect(
      fieldReasons(
        en,
        [
          { pointer: '/password_policy/min_length', detail: 'Too small: expected number to be >=6', code: 'too_small', params: { min: '6' } },
          { pointer: '', detail: 'Invalid input', code: 'invalid_union', params: {} },
        ],
        editor,
      ),
    ).toEqual({
      reasons: [
        { field: 'settings', text: '/password_policy/min_length: At least 6.' },
        { field: 'settings', text: '/: Matches none of the accepted forms.' },
      ],
      marked: ['Policies (JSON)'],
    });
  });

  it('says a reason about the whole resource, mapped to no field, without its pointer', () => {
    const used = [
      { pointer: '/', detail: 'the pool', code: 'used_by_pool', params: {} },
      { pointer: '/', detail: 'client web', code: 'used_by_client', params: { client: 'web' } },
    ] as const;
    expect(fieldReasons(ar, used, fields).reasons).toEqual([
      { field: undefined, text: 'يستخدمها المجمّع: ألغِ تحديد المجمّع في «أين تُستخدم هذه السمة» أولًا.' },
      { field: undefined, text: 'يستخدمها التطبيق «web»: ألغِ تحديده في «أين تُستخدم هذه السمة» أولًا.' },
    ]);
  });

  it('does not take a pointer that only starts like a mapped one', () => {
    const e = { detail: 'x', code: 'required', params: {} } as const;
    expect(fieldReasons(en, [{ pointer: '/emails', ...e }], fields).reasons[0].field).toBeUndefined();
    // A pointer naming an inherited property of a plain object is no field either.
    expect(fieldReasons(en, [{ pointer: '/constructor', ...e }], fields).reasons[0].field).toBeUndefined();
  });
});

describe('the console’s words for the API’s codes', () => {
  const args = (text: string) => new Set([...text.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1]));
  const worded = Object.entries(FIELD_CODES).filter(([code]) => code !== 'custom');

  it.each(['en', 'ar'] as const)('has every code in %s, taking exactly the params the API sends', (locale) => {
    const words = consoleCatalogues[locale].apiErrors as Record<string, string>;
    for (const [code, params] of worded) {
      expect(words[code], code).toBeTypeOf('string');
      expect(args(words[code]), code).toEqual(new Set(params));
    }
    expect(Object.keys(words).sort()).toEqual(worded.map(([c]) => c).sort());
  });
});
