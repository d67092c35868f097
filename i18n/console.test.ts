import { describe, expect, it } from 'vitest';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { consoleCatalogues, consoleLocaleOf, consoleTranslator } from './console';

/** The ICU arguments a message uses, once per use (a select's or plural's cases and tags' contents included). */
function argsOf(elements: MessageFormatElement[]): string[] {
  return elements.flatMap((el) => {
    if (el.type === TYPE.literal || el.type === TYPE.pound) return [];
    if (el.type === TYPE.tag) return argsOf(el.children);
    const cases = el.type === TYPE.select || el.type === TYPE.plural ? Object.values(el.options).flatMap((o) => argsOf(o.value)) : [];
    return [el.value, ...cases];
  });
}

/** Every leaf of a catalogue, as dotted key → ICU placeholders it uses. */
function leaves(o: object, prefix = ''): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, argsOf(parse(v)).sort());
    else for (const [kk, vv] of leaves(v as object, key)) out.set(kk, vv);
  }
  return out;
}

describe('the console catalogue', () => {
  it('has the same keys and placeholders in Arabic as in English', () => {
    const en = leaves(consoleCatalogues.en);
    const ar = leaves(consoleCatalogues.ar);
    expect([...ar.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [key, placeholders] of en) expect(ar.get(key), key).toEqual(placeholders);
  });

  it('is translated: no Arabic message is the English one (names in parentheses aside)', () => {
    const en = leaves(consoleCatalogues.en);
    const same = [...en.keys()].filter((k) => {
      const a = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], consoleCatalogues.ar);
      const e = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], consoleCatalogues.en);
      return a === e;
    });
    expect(same).toEqual([]);
  });

  it('shows English in every language but Arabic', () => {
    expect(consoleLocaleOf('ar')).toBe('ar');
    expect(consoleLocaleOf('fr')).toBe('en');
    expect(consoleTranslator('de')('nav.users')).toBe('Users');
    expect(consoleTranslator('ar')('user.title', { name: 'x' })).toBe('المستخدم x');
  });
});
