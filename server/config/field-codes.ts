import type { z } from 'zod';
import { COLOUR_PATTERN, FONT_NAME_PATTERN, IMAGE_NAME_PATTERN, LINK_LOCALE_PATTERN, THEME_ID_PATTERN } from '../../themes/schema';

/**
 * Every code an admin API field error carries, with the names of the params its wording takes
 * (all strings). The API's `detail` stays English for API users; the console words the code in
 * its own language. A code added here without a console message fails the console's type check.
 */
export const FIELD_CODES = {
  // Input shapes (zod's kinds of issue).
  required: [],
  invalid_type: ['expected'],
  too_short: ['min'],
  too_long: ['max'],
  length: ['length'],
  too_few: ['min'],
  too_many: ['max'],
  too_small: ['min'],
  too_big: ['max'],
  not_multiple_of: ['divisor'],
  invalid_email: [],
  invalid_url: [],
  invalid_format: ['format'],
  invalid_pattern: [],
  // Formats (regexes) users meet in console forms, each saying what is expected.
  invalid_colour: [],
  invalid_phone: [],
  invalid_slug: ['max'],
  allowed_chars: ['chars', 'max'],
  /** As allowed_chars, spaces allowed too (a display name). */
  allowed_chars_spaces: ['chars'],
  /** Lower-case letters and _ (a query parameter's name). */
  lower_underscore: ['max'],
  printable_token: ['except'],
  custom_attribute_name: [],
  locale_tag: [],
  /** A language tag or `default` (a theme link's language). */
  link_locale: [],
  urn: [],
  no_control_characters: [],
  /** No control characters, no space at either end. */
  trimmed_text: [],
  apple_id: [],
  tenant_guid: [],
  version_like: ['example'],
  invalid_value: ['values'],
  unknown_keys: ['keys'],
  invalid_union: [],
  invalid_key: [],
  invalid_element: [],
  /** A rule of the schema with no code of its own (its detail says which). */
  custom: [],
  // Rules of the schemas (refinements).
  not_together: ['other'],
  exactly_one: ['other'],
  required_when: ['other'],
  not_above: ['other'],
  reserved: [],
  duplicate: [],
  no_fragment: [],
  needs_openid: [],
  apple_key: [],
  https_only: [],
  refresh_needs_code: [],
  credentials_confidential: [],
  admin_scope_credentials: [],
  redirect_uri_needed: [],
  frame_ancestor: [],
  scope_list: [],
  only_for_type: ['type'],
  external_provider_user: [],
  not_with_invite: [],
  idp_initiated_client: ['provider'],
  password_hash_format: [],
  message_key: [],
  asset_ref: [],
  // Refusals of the pool.
  password_too_short: ['min'],
  password_too_long: ['max'],
  password_common: [],
  password_contains_username: [],
  username_taken: [],
  sub_taken: [],
  email_taken: [],
  no_password: [],
  no_reset_destination: [],
  has_password: [],
  no_invitation_destination: [],
  client_id_taken: ['client_id'],
  unknown_group: ['group'],
  unknown_attribute: [],
  attribute_value_invalid: ['type'],
  unknown_provider: ['provider'],
  unknown_scope: ['scope'],
  unknown_theme: ['theme'],
  unknown_client: ['client'],
  public_client_introspection: ['client'],
  confidential_stays: [],
  public_stays: [],
  public_client_no_secret: [],
  in_use: ['by'],
  // A theme still in use (one reason per user of it).
  used_by_pool: [],
  used_by_client: ['client'],
  extended_by_theme: ['theme'],
  secret_placeholder: [],
  too_many_overrides: ['max'],
  preview_count: ['max'],
  asset_not_stored: ['ref'],
  asset_wrong_kind: ['ref', 'kind'],
  asset_needs_file: [],
  asset_unreadable: ['ref'],
  // An asset refused by its content (server/pool/themes/assets.ts's AssetProblem).
  asset_unknown_type: ['ref'],
  asset_not_font: ['ref'],
  asset_font_not_image: ['ref'],
  asset_too_large: ['ref', 'kb'],
  asset_bad_svg: ['ref'],
  asset_too_many_pixels: ['ref', 'width', 'height', 'max'],
  theme_chain: ['reason'],
  /** One pair below WCAG AA: `fg` on `bg` (palette names, worded by the console) in `mode` (light, dark). */
  low_contrast: ['mode', 'fg', 'bg', 'ratio', 'min'],
  /** `rule`: the rule's CSS, or `none`; `reason`: custom-css.ts's CssReason, about `name` (CSS, or ''). */
  css_line: ['line', 'rule', 'reason', 'name'],
  /** A SAML provider's metadata: metadata_url or metadata_xml, exactly one. */
  saml_metadata_source: [],
  saml_metadata_invalid: [],
  saml_metadata_fetch: [],
  saml_metadata_timeout: [],
  saml_metadata_too_large: [],
  not_in_path: ['expected'],
  unknown_cursor: [],
} as const satisfies Record<string, readonly string[]>;

export type FieldCode = keyof typeof FIELD_CODES;
export type FieldParams = Record<string, string>;
/** A problem of one field: its path, English words, and its code with the values they need. */
export interface CodedProblem {
  path: (string | number)[];
  message: string;
  code: FieldCode;
  params: FieldParams;
}

export const isFieldCode = (c: unknown): c is FieldCode => typeof c === 'string' && Object.hasOwn(FIELD_CODES, c);

/** A refinement's code (and params) for its issue: `refine(f, coded('no_fragment', '...'))`. */
export const coded = (code: FieldCode, message: string, more: { path?: (string | number)[]; params?: FieldParams } = {}) => ({
  message,
  ...(more.path ? { path: more.path } : {}),
  params: { code, ...more.params },
});

/** Regexes whose refusal has a code of its own (zod's regex issues carry only the pattern), by pattern. */
const PATTERN_CODES = new Map<string, { code: FieldCode; params: FieldParams }>();
/** A regex with the code (and params) of its refusal: `.regex(codedPattern(/^…$/, 'locale_tag'), '…')`. */
export function codedPattern(re: RegExp, code: FieldCode, params: FieldParams = {}): RegExp {
  PATTERN_CODES.set(String(re), { code, params });
  return re;
}
// themes/ is presentation and imports nothing of server/: its patterns are coded here.
codedPattern(COLOUR_PATTERN, 'invalid_colour');
codedPattern(THEME_ID_PATTERN, 'invalid_slug', { max: '64' });
codedPattern(IMAGE_NAME_PATTERN, 'invalid_slug', { max: '32' });
codedPattern(LINK_LOCALE_PATTERN, 'link_locale');
codedPattern(FONT_NAME_PATTERN, 'allowed_chars_spaces', { chars: '_-' });

const list = (values: readonly unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');

/** What is at `path` in `input` (undefined when the path leaves it). */
function at(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, p)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** A zod issue's code and params; `input`: what was parsed (a missing value is `required`). */
export function issueCode(issue: z.core.$ZodIssue, input: unknown): { code: FieldCode; params: FieldParams } {
  const none = {};
  switch (issue.code) {
    case 'invalid_type':
      return at(input, issue.path) === undefined ? { code: 'required', params: none } : { code: 'invalid_type', params: { expected: issue.expected } };
    case 'too_small':
    case 'too_big': {
      const limit = String(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      // A bound zod says exclusively (`gt`) is a step further off for the whole numbers the API takes.
      const bound = issue.inclusive === false ? String(Number(limit) + (issue.code === 'too_small' ? 1 : -1)) : limit;
      if (issue.exact && (issue.origin === 'string' || issue.origin === 'array')) return { code: 'length', params: { length: limit } };
      const small = issue.code === 'too_small';
      if (issue.origin === 'string') return small ? { code: 'too_short', params: { min: bound } } : { code: 'too_long', params: { max: bound } };
      if (issue.origin === 'array' || issue.origin === 'set') return small ? { code: 'too_few', params: { min: bound } } : { code: 'too_many', params: { max: bound } };
      return small ? { code: 'too_small', params: { min: bound } } : { code: 'too_big', params: { max: bound } };
    }
    case 'invalid_format':
      if (issue.format === 'email') return { code: 'invalid_email', params: none };
      if (issue.format === 'url') return { code: 'invalid_url', params: none };
      if (issue.format === 'regex') return PATTERN_CODES.get(issue.pattern ?? '') ?? { code: 'invalid_pattern', params: none };
      return { code: 'invalid_format', params: { format: issue.format } };
    case 'not_multiple_of':
      return { code: 'not_multiple_of', params: { divisor: String(issue.divisor) } };
    case 'unrecognized_keys':
      return { code: 'unknown_keys', params: { keys: issue.keys.join(', ') } };
    case 'invalid_value':
      return { code: 'invalid_value', params: { values: list(issue.values) } };
    case 'invalid_key':
    case 'invalid_element': {
      // A record's key or a map's element says what is wrong with it through its own issue.
      const inner = issue.issues[0];
      return inner ? issueCode(inner, at(input, issue.path)) : { code: issue.code, params: none };
    }
    case 'invalid_union':
      return { code: issue.code, params: none };
    case 'custom': {
      const { code, ...params } = (issue.params ?? {}) as Record<string, unknown>;
      if (!isFieldCode(code)) return { code: 'custom', params: none };
      return { code, params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) };
    }
  }
  return { code: 'custom', params: none };
}
