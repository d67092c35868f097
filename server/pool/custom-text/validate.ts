import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import en from '../../../messages/en.json';
import { isLocale, type Locale } from '../../../i18n/locales';
import { MAX_TEXT_LENGTH } from './limits';

/**
 * Custom text: an operator's ICU message in place of a catalogue's, for one locale and one key
 * of messages/en.json (screens, e-mails and texts alike). An override may reword a message, never
 * change what the code hands it: it uses exactly the English message's placeholders, plural and
 * select arguments and rich-text tags, so a page or a mail renders it with the values it has.
 */

export { MAX_PER_LOCALE, MAX_TEXT_LENGTH } from './limits';

/** Every dotted key of the English catalogue and its message. */
export const englishMessages: ReadonlyMap<string, string> = (() => {
  const out = new Map<string, string>();
  const walk = (node: unknown, prefix: string) => {
    if (typeof node === 'string') out.set(prefix, node);
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
  };
  walk(en, '');
  return out;
})();

export const OVERRIDE_CODES = ['unknown_locale', 'unknown_key', 'empty', 'too_long', 'control_characters', 'bad_icu', 'missing_argument', 'extra_argument', 'argument_kind', 'plural_category', 'select_option', 'tag', 'missing_tag'] as const;
export type OverrideProblemCode = (typeof OVERRIDE_CODES)[number];

/**
 * One reason an override is refused; `message` is for the operator (API, CLI), `code` and
 * `params` let a screen say it in the operator's language (the console).
 */
export interface OverrideProblem {
  code: OverrideProblemCode;
  message: string;
  params: Record<string, string>;
}

/** What a message hands its reader: each argument by name with its kind, and each tag. */
interface Shape {
  args: Map<string, string>;
  /** Plural and select arguments' cases. */
  cases: Map<string, Set<string>>;
  tags: Set<string>;
}

const kinds: Partial<Record<TYPE, string>> = {
  [TYPE.argument]: 'text',
  [TYPE.number]: 'number',
  [TYPE.date]: 'date',
  [TYPE.time]: 'time',
  [TYPE.select]: 'select',
  [TYPE.plural]: 'plural',
};

function shapeOf(elements: MessageFormatElement[], shape: Shape = { args: new Map(), cases: new Map(), tags: new Set() }): Shape {
  for (const el of elements) {
    if (el.type === TYPE.tag) {
      shape.tags.add(el.value);
      shapeOf(el.children, shape);
      continue;
    }
    const kind = kinds[el.type];
    if (!kind || !('value' in el)) continue;
    const name = el.value;
    const pluralKind = el.type === TYPE.plural && el.pluralType === 'ordinal' ? 'selectordinal' : kind;
    // A simple `{n}` beside `{n, plural, …}` is the same argument: the stronger kind names it.
    if (!shape.args.has(name) || shape.args.get(name) === 'text') shape.args.set(name, pluralKind);
    if (el.type === TYPE.plural || el.type === TYPE.select) {
      const cases = shape.cases.get(name) ?? new Set<string>();
      for (const [key, option] of Object.entries(el.options)) {
        cases.add(key);
        shapeOf(option.value, shape);
      }
      shape.cases.set(name, cases);
    }
  }
  return shape;
}

const englishShapes = new Map<string, Shape>();
function englishShape(key: string): Shape {
  let s = englishShapes.get(key);
  if (!s) englishShapes.set(key, (s = shapeOf(parse(englishMessages.get(key)!, { requiresOtherClause: true }))));
  return s;
}

/** What an override of `key` must keep, as an operator writes it: its placeholders, then its tags. */
export function requiredSlots(key: string): string[] {
  if (!englishMessages.has(key)) return [];
  const s = englishShape(key);
  return [...[...s.args.keys()].map((a) => `{${a}}`), ...[...s.tags].map((t) => `<${t}>`)];
}

/** The catalogue's plural categories of a locale (`one`, `few`, … and always `other`). */
function pluralCategories(locale: Locale, type: 'cardinal' | 'ordinal'): Set<string> {
  return new Set(new Intl.PluralRules(locale, { type }).resolvedOptions().pluralCategories);
}

// Tabs and line breaks are text; other control characters have no place in a message.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029]/;

/** Why `text` cannot stand for `key` in `locale`; empty when it can. */
export function overrideProblems(locale: string, key: string, text: string): OverrideProblem[] {
  if (!isLocale(locale)) return [{ code: 'unknown_locale', message: `"${locale}" is not a supported locale`, params: { locale } }];
  if (!englishMessages.has(key)) return [{ code: 'unknown_key', message: `"${key}" is not a message key of the catalogue`, params: { key } }];
  if (text.trim() === '') return [{ code: 'empty', message: 'the text is empty (delete the override to use the catalogue’s text)', params: {} }];
  if (text.length > MAX_TEXT_LENGTH) return [{ code: 'too_long', message: `the text is longer than ${MAX_TEXT_LENGTH} characters`, params: { max: String(MAX_TEXT_LENGTH) } }];
  if (CONTROL.test(text)) return [{ code: 'control_characters', message: 'the text has control characters', params: {} }];
  let ast: MessageFormatElement[];
  try {
    ast = parse(text, { requiresOtherClause: true });
  } catch (e) {
    const where = (e as { location?: { start?: { offset?: number } } }).location?.start?.offset;
    const at = where === undefined ? '' : String(where + 1);
    return [{ code: 'bad_icu', message: `not a valid ICU message: ${(e as Error).message}${at && ` at character ${at}`}`, params: { reason: (e as Error).message, at } }];
  }
  const want = englishShape(key);
  const got = shapeOf(ast);
  const problems: OverrideProblem[] = [];
  for (const [name, kind] of want.args) {
    if (!got.args.has(name)) problems.push({ code: 'missing_argument', message: `the placeholder {${name}} is missing`, params: { name: `{${name}}` } });
    else if (kind === 'select' && got.args.get(name) !== 'select') {
      const cases = [...(want.cases.get(name) ?? [])].join(', ');
      problems.push({ code: 'argument_kind', message: `{${name}} must stay a select argument (its values are codes: ${cases})`, params: { name: `{${name}}`, cases } });
    }
  }
  for (const name of got.args.keys()) {
    if (!want.args.has(name)) {
      const allowed = [...want.args.keys()].map((a) => `{${a}}`).join(', ');
      problems.push({ code: 'extra_argument', message: `the placeholder {${name}} is unknown here (allowed: ${allowed || 'none'})`, params: { name: `{${name}}`, allowed } });
    }
  }
  for (const [name, cases] of got.cases) {
    // A plain `{n}` of English may become a plural in a translation (the code hands a number).
    const kind = got.args.get(name);
    if (kind === 'plural' || kind === 'selectordinal') {
      const allowed = pluralCategories(locale, kind === 'plural' ? 'cardinal' : 'ordinal');
      for (const c of cases) {
        if (!allowed.has(c) && !/^=\d+$/.test(c)) problems.push({ code: 'plural_category', message: `"${c}" is not a plural category of ${locale} (${[...allowed].join(', ')}, or =N)`, params: { category: c, locale, allowed: [...allowed].join(', ') } });
      }
    } else if (kind === 'select' && want.args.get(name) === 'select') {
      const allowed = want.cases.get(name) ?? new Set();
      for (const c of cases) if (!allowed.has(c)) problems.push({ code: 'select_option', message: `{${name}} has no case "${c}" (cases: ${[...allowed].join(', ')})`, params: { name: `{${name}}`, option: c, cases: [...allowed].join(', ') } });
    }
  }
  // Tags are the catalogue's rich-text slots (a link), never HTML of the operator's.
  const tags = [...want.tags].map((x) => `<${x}>`).join(', ');
  for (const t of got.tags) if (!want.tags.has(t)) problems.push({ code: 'tag', message: `<${t}> is not allowed here${want.tags.size ? ` (only ${tags})` : ': the text has no markup'}`, params: { tag: `<${t}>`, allowed: tags } });
  for (const t of want.tags) if (!got.tags.has(t)) problems.push({ code: 'missing_tag', message: `the <${t}>…</${t}> part is missing`, params: { tag: `<${t}>…</${t}>` } });
  return problems;
}
