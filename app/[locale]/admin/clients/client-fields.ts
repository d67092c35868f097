import type { FieldSpec } from '@/components/FlowForm';
import type { ConsoleT } from '@/i18n/console';

/** An app client as the admin API answers it (RFC 7591 names). */
export interface ClientRecord {
  client_id: string;
  client_name?: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: string[];
  token_endpoint_auth_method: string;
  scope?: string;
  third_party?: boolean;
  require_mfa?: boolean;
  supported_identity_providers?: string[];
  frame_ancestors?: string[];
  [other: string]: unknown;
}

/** The list fields, edited one per line. */
export const LIST_FIELDS = ['redirect_uris', 'post_logout_redirect_uris', 'grant_types', 'supported_identity_providers', 'frame_ancestors'] as const;

const lines = (xs: readonly string[] | undefined) => (xs ?? []).join('\n');

/** A client's form: its id (only when creating, optional: Foyer makes one), then the RFC 7591 fields it edits. */
export function clientFields(t: ConsoleT, c?: ClientRecord): FieldSpec[] {
  const area = (name: (typeof LIST_FIELDS)[number], value: string): FieldSpec => ({ name, label: t(`clients.fields.${name}`), type: 'textarea', rows: 3, autoComplete: 'off', dir: 'ltr', maxLength: 20_000, hint: t('clients.onePerLine'), defaultValue: value });
  return [
    ...(c ? [] : [{ name: 'client_id', label: t('clients.fields.client_id'), type: 'text', autoComplete: 'off', maxLength: 128, dir: 'ltr' as const, hint: t('clients.idHint') }]),
    { name: 'client_name', label: t('clients.fields.client_name'), type: 'text', autoComplete: 'off', maxLength: 100, dir: 'auto', defaultValue: c?.client_name ?? '' },
    area('redirect_uris', lines(c?.redirect_uris)),
    area('post_logout_redirect_uris', lines(c?.post_logout_redirect_uris)),
    area('grant_types', lines(c?.grant_types ?? ['authorization_code', 'refresh_token'])),
    { name: 'token_endpoint_auth_method', label: t('clients.fields.token_endpoint_auth_method'), type: 'text', autoComplete: 'off', dir: 'ltr', maxLength: 64, hint: t('clients.authMethodHint'), defaultValue: c?.token_endpoint_auth_method ?? 'client_secret_basic' },
    { name: 'scope', label: t('clients.fields.scope'), type: 'text', autoComplete: 'off', dir: 'ltr', maxLength: 8192, hint: t('clients.scopeHint'), defaultValue: c?.scope ?? '' },
    area('supported_identity_providers', lines(c?.supported_identity_providers)),
    area('frame_ancestors', lines(c?.frame_ancestors)),
    { name: 'third_party', label: t('clients.fields.third_party'), type: 'checkbox', autoComplete: 'off', defaultValue: c?.third_party ? 'on' : '' },
    { name: 'require_mfa', label: t('clients.fields.require_mfa'), type: 'checkbox', autoComplete: 'off', defaultValue: c?.require_mfa ? 'on' : '' },
  ];
}
