import type { FieldSpec } from '@/components/FlowForm';
import type { ConsoleT } from '@/i18n/console';

/** A resource server as the admin API answers it. */
export interface ResourceServerRecord {
  identifier: string;
  name: string;
  scopes: { name: string; description: string }[];
  introspection_clients?: string[];
}

/** Scopes as the form edits them: one a line, `name description`. */
export const scopeLines = (scopes: ResourceServerRecord['scopes']) => scopes.map((s) => `${s.name} ${s.description}`).join('\n');

/** A resource server's form: its identifier (only when creating), name, scopes and introspection clients. */
export function serverFields(t: ConsoleT, rs?: ResourceServerRecord): FieldSpec[] {
  return [
    ...(rs ? [] : [{ name: 'identifier', label: t('resourceServers.fields.identifier'), type: 'text', autoComplete: 'off', required: true, maxLength: 256, dir: 'ltr' as const, hint: t('resourceServers.identifierHint') }]),
    { name: 'name', label: t('resourceServers.fields.name'), type: 'text', autoComplete: 'off', required: true, maxLength: 256, dir: 'auto', defaultValue: rs?.name ?? '' },
    { name: 'scopes', label: t('resourceServers.fields.scopes'), type: 'textarea', rows: 5, autoComplete: 'off', maxLength: 60_000, dir: 'auto', hint: t('resourceServers.scopesHint'), defaultValue: rs ? scopeLines(rs.scopes) : '' },
    { name: 'introspection_clients', label: t('resourceServers.fields.introspection_clients'), type: 'textarea', rows: 3, autoComplete: 'off', maxLength: 20_000, dir: 'ltr', hint: t('resourceServers.onePerLine'), defaultValue: (rs?.introspection_clients ?? []).join('\n') },
  ];
}
