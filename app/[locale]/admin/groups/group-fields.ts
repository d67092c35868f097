import type { FieldSpec } from '@/components/FlowForm';
import type { ConsoleT } from '@/i18n/console';

/** The admin API's bound (a 32-bit integer column). */
const MAX_PRECEDENCE = 2 ** 31 - 1;

/** A group's form: its name (only when creating), description and precedence. */
export function groupFields(t: ConsoleT, group?: { description?: string; precedence?: number }): FieldSpec[] {
  return [
    ...(group ? [] : [{ name: 'name', label: t('groups.name'), type: 'text', autoComplete: 'off', required: true, maxLength: 128 }]),
    { name: 'description', label: t('groups.description'), type: 'text', autoComplete: 'off', maxLength: 2048, defaultValue: group?.description ?? '' },
    { name: 'precedence', label: t('groups.precedence'), type: 'number', autoComplete: 'off', min: 0, max: MAX_PRECEDENCE, hint: t('groups.precedenceHint'), defaultValue: group?.precedence === undefined ? '' : String(group.precedence) },
  ];
}
