import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { createTranslator } from 'next-intl';

/** Every translated catalogue must mirror en.json: same keys, same ICU arguments and rich tags, and it must format. */

const dir = import.meta.dirname ?? path.join(process.cwd(), 'messages');

type Tree = { [key: string]: unknown };

function load(file: string): Tree {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Tree;
}

/** Leaf paths (`a.b.c`) with their values; objects are descended into, anything else is a leaf. */
function leaves(tree: Tree, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const p = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of leaves(value as Tree, p)) out.set(k, v);
    } else {
      out.set(p, value);
    }
  }
  return out;
}

/** Names of the ICU arguments, also inside branches: `{min}` → min, `{seconds, plural, ...}` → seconds. Honours ICU apostrophe quoting. */
function argumentNames(message: string): Set<string> {
  const names = new Set<string>();
  for (let i = 0; i < message.length; i++) {
    const ch = message[i];
    if (ch === "'") {
      if (message[i + 1] === "'") {
        i++;
        continue;
      }
      if ('{}#|<'.includes(message[i + 1] ?? '')) {
        const end = message.indexOf("'", i + 1);
        i = end === -1 ? message.length : end;
      }
      continue;
    }
    if (ch === '{') {
      // Arguments also sit inside select and plural branches ("other {… {pool} …}").
      const match = /^\s*([A-Za-z_][\w:-]*)\s*[,}]/.exec(message.slice(i + 1));
      if (match) names.add(match[1]);
    }
  }
  return names;
}

function tagNames(message: string): Set<string> {
  return new Set([...message.matchAll(/<([A-Za-z][\w-]*)>/g)].map((m) => m[1]));
}

const numericArguments = new Set(['min', 'max', 'seconds', 'minutes']);

function dummyValues(names: Iterable<string>, count = 5): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  for (const name of names) values[name] = numericArguments.has(name) ? count : `[${name}]`;
  return values;
}

type LooseTranslator = {
  (key: string, values?: Record<string, unknown>): string;
  rich(key: string, values?: Record<string, unknown>): unknown;
};


/** Every `{arg, plural, …}` in a message: the branch selectors it uses (`one`, `=0`, …). */
function pluralBranches(message: string): string[][] {
  const out: string[][] = [];
  const head = /\{\s*[A-Za-z_][\w]*\s*,\s*(?:plural|selectordinal)\s*,/g;
  for (let m = head.exec(message); m; m = head.exec(message)) {
    const selectors: string[] = [];
    let i = m.index + m[0].length;
    let depth = 1;
    let token = '';
    for (; i < message.length && depth > 0; i++) {
      const ch = message[i];
      if (ch === '{') {
        if (depth === 1 && token.trim()) selectors.push(token.trim().split(/\s+/).pop()!);
        depth++;
        token = '';
      } else if (ch === '}') {
        depth--;
        token = '';
      } else if (depth === 1) token += ch;
    }
    out.push(selectors);
  }
  return out;
}

/**
 * Words that are the same in every language: brand and protocol names, and loan words
 * languages really use. A value identical to English passes only if all its words are here.
 */
/** Loan words one language really uses in software (Italian says "password", "account", "privacy"). */
const loanWords: Record<string, readonly string[]> = { it: ['password', 'account', 'privacy'] };
const untranslatedWords = new Set(['foyer', 'google', 'apple', 'facebook', 'amazon', 'microsoft', 'saml', 'openid', 'connect', 'oidc', 'ok', 'qr', 'sms', 'pin', 'totp', 'webauthn', 'fido', 'url', 'id', 'api', 'passkey', 'passkeys', 'e-mail', 'email', 'online', 'code', 'app', 'apps']);

const en = load('en.json');
const enLeaves = leaves(en);
const translations = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'en.json')
  .sort();

describe('message catalogues', () => {
  it('has at least one translation next to en.json', () => {
    expect(translations.length).toBeGreaterThan(0);
  });

  describe.each(translations)('%s', (file) => {
    const locale = path.basename(file, '.json');
    const catalogue = load(file);
    const catLeaves = leaves(catalogue);

    it('has exactly the key paths of en.json', () => {
      const missing = [...enLeaves.keys()].filter((k) => !catLeaves.has(k));
      const extra = [...catLeaves.keys()].filter((k) => !enLeaves.has(k));
      expect({ missing, extra }, `${file}: missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}`).toEqual({
        missing: [],
        extra: [],
      });
    });

    it('has a non-empty string for every value', () => {
      const bad = [...catLeaves].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
      expect(bad, `${file}: empty or non-string values at ${bad.join(', ')}`).toEqual([]);
    });

    it('keeps every placeholder and rich tag of en.json', () => {
      const problems: string[] = [];
      for (const [key, source] of enLeaves) {
        const target = catLeaves.get(key);
        if (typeof source !== 'string' || typeof target !== 'string') continue;
        const targetArgs = argumentNames(target);
        for (const name of argumentNames(source)) {
          if (!targetArgs.has(name)) problems.push(`${key}: missing {${name}}`);
        }
        const targetTags = tagNames(target);
        for (const tag of tagNames(source)) {
          if (!targetTags.has(tag) || !target.includes(`</${tag}>`)) problems.push(`${key}: missing <${tag}>…</${tag}>`);
        }
      }
      expect(problems, `${file}:\n${problems.join('\n')}`).toEqual([]);
    });

    it('uses exactly the plural categories of its language (CLDR), all of them', () => {
      const categories = new Set<string>(new Intl.PluralRules(locale).resolvedOptions().pluralCategories);
      const problems: string[] = [];
      for (const [key, value] of catLeaves) {
        if (typeof value !== 'string') continue;
        for (const selectors of pluralBranches(value)) {
          for (const s of selectors) if (!s.startsWith('=') && s !== 'offset:' && !categories.has(s)) problems.push(`${key}: '${s}' is not a plural category of ${locale}`);
          for (const c of categories) {
            // An exact =0 branch stands for `zero` (it is matched first).
            if (!selectors.includes(c) && !(c === 'zero' && selectors.includes('=0'))) problems.push(`${key}: no '${c}' branch`);
          }
        }
      }
      expect(problems, `${file}:\n${problems.join('\n')}`).toEqual([]);
    });

    it('leaves no English behind (values identical to en.json are brand or loan words only)', () => {
      const problems: string[] = [];
      for (const [key, source] of enLeaves) {
        const target = catLeaves.get(key);
        if (typeof source !== 'string' || target !== source) continue;
        // What a reader sees: arguments and tags removed.
        const words = source.replace(/\{[^{}]*\}/g, ' ').replace(/<\/?[A-Za-z][\w-]*>/g, ' ').toLowerCase().match(/[a-z][a-z-]*/g) ?? [];
        if (words.some((w) => !untranslatedWords.has(w) && !loanWords[locale]?.includes(w))) problems.push(`${key}: ${JSON.stringify(source)}`);
      }
      expect(problems, `${file} still says in English:\n${problems.join('\n')}`).toEqual([]);
    });

    it('parses and formats every message with next-intl', () => {
      const errors: string[] = [];
      const t = createTranslator({
        locale: locale as never,
        messages: catalogue as never,
        onError: (error: Error) => {
          errors.push(error.message);
        },
      }) as unknown as LooseTranslator;

      for (const [key, value] of catLeaves) {
        if (typeof value !== 'string') continue;
        const source = enLeaves.get(key);
        const names = new Set([...argumentNames(value), ...(typeof source === 'string' ? argumentNames(source) : [])]);
        const tags = tagNames(value);
        const hasNumber = [...names].some((n) => numericArguments.has(n));
        // 5 as asked; with a number argument also walk the plural categories (zero, one, two, few, many, other).
        for (const count of hasNumber ? [5, 0, 1, 2, 3, 11, 100] : [5]) {
          const values = dummyValues(names, count);
          const before = errors.length;
          try {
            if (tags.size > 0) {
              const tagHandlers = Object.fromEntries([...tags].map((tag) => [tag, (chunks: unknown) => chunks]));
              t.rich(key, { ...values, link: (chunks: unknown) => chunks, ...tagHandlers });
            } else {
              const out = t(key, values);
              if (typeof out !== 'string' || out === '') errors.push(`${key}: formatted to ${JSON.stringify(out)}`);
            }
          } catch (error) {
            errors.push(`${key}: ${(error as Error).message}`);
          }
          if (errors.length > before) errors[errors.length - 1] = `${key} (count ${count}): ${errors[errors.length - 1]}`;
        }
      }
      expect(errors, `${file}:\n${errors.join('\n')}`).toEqual([]);
    });
  });
});
