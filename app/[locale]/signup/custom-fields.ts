import type { Translator as T } from '@/app/_lib/translator';
import type { FieldSpec } from '@/components/FlowForm';
import type { CustomAttribute } from '@/server/pool';

/** A hint naming the bounds of a String's length or a Number's value, when it has any. */
function boundsHint(t: T, kind: 'length' | 'value', min: number | undefined, max: number | undefined): string | undefined {
  if (min !== undefined && max !== undefined) return t(`signup.${kind}Between`, { min, max });
  if (min !== undefined) return t(`signup.${kind}AtLeast`, { min });
  if (max !== undefined) return t(`signup.${kind}AtMost`, { max });
  return undefined;
}

/**
 * The sign-up form's fields for the pool's required custom attributes, each with the input its
 * type calls for and the config's label for this locale (a translated generic one otherwise).
 */
export function customFields(declared: CustomAttribute[], locale: string, t: T): FieldSpec[] {
  return declared
    .filter((a) => a.required)
    .map((a): FieldSpec => {
      const base = { name: a.name, label: a.labels?.[locale] ?? t('signup.customField', { name: a.name.slice('custom:'.length) }), autoComplete: 'off' };
      switch (a.type) {
        case 'String':
          return { ...base, type: 'text', required: true, maxLength: a.max_length ?? 2048, hint: boundsHint(t, 'length', a.min_length, a.max_length) };
        case 'Number':
          return { ...base, type: 'number', required: true, min: a.min_value, max: a.max_value, step: 'any', dir: 'ltr', hint: boundsHint(t, 'value', a.min_value, a.max_value) };
        case 'Boolean':
          // Unchecked is a value too ("false"), so the box itself is not required.
          return { ...base, type: 'checkbox' };
        case 'DateTime':
          return { ...base, type: 'datetime-local', required: true, dir: 'ltr' };
      }
    });
}
