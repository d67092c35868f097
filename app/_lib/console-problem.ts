import type { FieldReason } from '@/components/FlowForm';
import type { ConsoleT } from '@/i18n/console';
import { isFieldCode, type AdminCallResult, type FieldCode } from '@/server/admin';
import { paletteNames, type PaletteName } from '@/themes/schema';

type FieldError = Extract<AdminCallResult, { ok: false }>['problem']['errors'][number];

/** The codes the console words; `custom` (a rule with no code of its own) says no more than its detail. */
export type WordedCode = Exclude<FieldCode, 'custom'>;

/**
 * A field error in the console's language, by its code; undefined for a code the console does not
 * word (custom text's own, `custom`), whose English detail then shows. Typed by the English
 * catalogue: a code without a message fails the type check.
 */
export function wordOf(t: ConsoleT, e: Pick<FieldError, 'code' | 'params'>): string | undefined {
  if (!isFieldCode(e.code) || e.code === 'custom') return undefined;
  const code: WordedCode = e.code;
  return t(`apiErrors.${code}`, (code === 'low_contrast' ? contrastParams(t, e.params) : e.params) as never);
}

const isPaletteName = (v: string | undefined): v is PaletteName => (paletteNames as readonly (string | undefined)[]).includes(v);

/** A colour pair by the labels the theme editor gives its colours, and the mode by its name (a value the console does not know stays as sent). */
function contrastParams(t: ConsoleT, params: Record<string, string>): Record<string, string> {
  const { fg, bg, mode } = params;
  return {
    ...params,
    fg: isPaletteName(fg) ? t(`themes.form.palette.${fg}`) : fg,
    bg: isPaletteName(bg) ? t(`themes.form.palette.${bg}`) : bg,
    mode: mode === 'light' || mode === 'dark' ? t(`themes.${mode}`) : mode,
  };
}

/** A form field the admin API's JSON Pointers lead to: its name and label. */
export type FieldOf = { name: string; label: string };

/** The field a pointer is about: the one mapped to it, else to its nearest parent (`''`: the whole body). */
function fieldAt(fields: Record<string, FieldOf>, pointer: string): { at: string; field: FieldOf } | undefined {
  for (let at = pointer; ; at = at.slice(0, at.lastIndexOf('/'))) {
    if (Object.hasOwn(fields, at)) return { at, field: fields[at] };
    if (at === '') return undefined;
  }
}

/**
 * The admin API's field errors as a form's reasons: each beside the field its pointer leads to
 * (worded by its code in the console's language, else the API's English detail, marked so),
 * naming the pointer where the field holds more than it (a list, a JSON editor); errors no field
 * is mapped for are kept, for the error summary (one about the whole resource without its pointer). `marked`: the labels of the fields at fault, once
 * each, in the API's order.
 */
export function fieldReasons(t: ConsoleT, errors: readonly FieldError[], fields: Record<string, FieldOf>): { reasons: FieldReason[]; marked: string[] } {
  const marked = new Map<string, string>();
  const reasons = errors.map((e) => {
    const hit = fieldAt(fields, e.pointer);
    if (hit) marked.set(hit.field.name, hit.field.label);
    const where = e.pointer || '/';
    const exact = hit !== undefined && hit.at === e.pointer && e.pointer !== '';
    const worded = wordOf(t, e);
    const words = worded ?? e.detail;
    // About the whole resource (a theme still in use) and shown on no field: the words alone.
    const whole = hit === undefined && (e.pointer === '' || e.pointer === '/') && words;
    const text = exact ? words || where : whole ? words : words ? `${where}: ${words}` : where;
    return { field: hit?.field.name, text, ...(worded === undefined ? { lang: 'en' } : {}) };
  });
  return { reasons, marked: [...marked.values()] };
}
