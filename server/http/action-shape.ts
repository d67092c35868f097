import fs from 'node:fs';
import path from 'node:path';

/**
 * Whether a posted form is a server action call shaped exactly as React sends one for Foyer's
 * forms: every form is a `useActionState` form (one bound argument, the previous state) and every
 * action takes a FormData. Next.js answers a tampered call (an unknown id, a forged reference like
 * `$@2` or `$Q1`, broken JSON, extra arguments) with a 500 or a bare text, so it is refused before.
 */

/** The ids of this build's server actions (from Next's manifest). */
export function loadActionIds(distDir: string): Set<string> {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(distDir, 'server', 'server-reference-manifest.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    return new Set([...Object.keys(manifest.node ?? {}), ...Object.keys(manifest.edge ?? {})]);
  } catch {
    return new Set();
  }
}

/** React's encoding of plain values: a string starting with `$` is escaped as `$$`; these are the other plain ones. */
const PLAIN_SPECIAL = new Set(['$undefined', '$NaN', '$Infinity', '$-Infinity', '$-0']);

/** Plain JSON with no references to other parts (only what a previous form state can hold). */
function plain(v: unknown, depth = 0): boolean {
  if (depth > 8) return false;
  if (typeof v === 'string') return !v.startsWith('$') || v.startsWith('$$') || PLAIN_SPECIAL.has(v);
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return true;
  if (Array.isArray(v)) return v.every((x) => plain(x, depth + 1));
  if (typeof v === 'object') return Object.entries(v as object).every(([k, x]) => !k.startsWith('$') && plain(x, depth + 1));
  return false;
}

function json(s: string | undefined): unknown {
  if (s === undefined) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/**
 * A call from a page with scripts (`Next-Action: <id>`): field `0` holds the arguments, a form's
 * entries are `_<n>_<name>` for the FormData argument `$K<n>`, which comes last.
 */
export function fetchCallIsWellFormed(id: string, fields: [string, string][], known: Set<string>): boolean {
  if (!known.has(id)) return false;
  const roots = fields.filter(([k]) => k === '0');
  const args = json(roots[0]?.[1]);
  if (roots.length !== 1 || !Array.isArray(args) || args.length < 1 || args.length > 2) return false;
  const last = args[args.length - 1];
  const ref = typeof last === 'string' ? /^\$K([0-9a-f]{1,4})$/.exec(last) : null;
  if (!ref || !args.slice(0, -1).every((a) => plain(a))) return false;
  const prefix = `_${ref[1]}_`;
  return fields.every(([k]) => k === '0' || k.startsWith(prefix));
}

/**
 * A form posted without scripts: `$ACTION_REF_<n>`, `$ACTION_<n>:0` = {"id": <id>, "bound": "$@1"},
 * `$ACTION_<n>:1` = [previous state], `$ACTION_KEY`, then the form's own fields.
 */
export function formPostIsWellFormed(fields: [string, string][], known: Set<string>): boolean {
  const action = fields.filter(([k]) => k.startsWith('$ACTION'));
  // The number is the form's place among the page's action forms.
  const n = /^\$ACTION_REF_(\d{1,4})$/.exec(action.find(([k]) => k.startsWith('$ACTION_REF_'))?.[0] ?? '')?.[1];
  if (n === undefined) return false;
  const names = action.map(([k]) => k).sort();
  const expected = [`$ACTION_${n}:0`, `$ACTION_${n}:1`, '$ACTION_KEY', `$ACTION_REF_${n}`];
  if (names.length !== expected.length || names.some((name, i) => name !== expected[i])) return false;
  const value = (name: string) => action.find(([k]) => k === name)![1];
  const ref = json(value(`$ACTION_${n}:0`)) as { id?: unknown; bound?: unknown } | undefined;
  if (!ref || typeof ref !== 'object' || Object.keys(ref).length !== 2 || typeof ref.id !== 'string' || !known.has(ref.id) || ref.bound !== '$@1') return false;
  const bound = json(value(`$ACTION_${n}:1`));
  if (!Array.isArray(bound) || bound.length !== 1 || !plain(bound[0])) return false;
  return value(`$ACTION_REF_${n}`) === '' && /^k[0-9a-f]{1,64}$/.test(value('$ACTION_KEY'));
}
