import type { FieldReason } from '@/components/FlowForm';
import type { AdminCallResult } from '@/server/admin';

type FieldError = Extract<AdminCallResult, { ok: false }>['problem']['errors'][number];

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
 * (its own words, English, marked so), naming the pointer where the field holds more than it (a
 * list, a JSON editor); errors no field is mapped for are kept, for the error summary. `marked`:
 * the labels of the fields at fault, once each, in the API's order.
 */
export function fieldReasons(errors: readonly FieldError[], fields: Record<string, FieldOf>): { reasons: FieldReason[]; marked: string[] } {
  const marked = new Map<string, string>();
  const reasons = errors.map((e) => {
    const hit = fieldAt(fields, e.pointer);
    if (hit) marked.set(hit.field.name, hit.field.label);
    const where = e.pointer || '/';
    const exact = hit !== undefined && hit.at === e.pointer && e.pointer !== '';
    const text = exact ? e.detail || where : e.detail ? `${where}: ${e.detail}` : where;
    return { field: hit?.field.name, text, lang: 'en' };
  });
  return { reasons, marked: [...marked.values()] };
}
