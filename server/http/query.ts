/**
 * The query parameters our pages read, and what each may look like. Anything else on the URL
 * is ignored; a malformed known one is refused before rendering.
 */
const shapes: Record<string, RegExp> = {
  uid: /^[A-Za-z0-9_-]{1,64}$/,
  xsrf: /^[A-Za-z0-9_-]{1,128}$/,
  client_id: /^[A-Za-z0-9._~-]{1,128}$/,
  code: /^[a-z_]{1,64}$/,
  notice: /^[a-z_]{1,32}$/,
  error: /^[a-z_]{1,64}$/,
  signed_out: /^1$/,
  lang: /^[A-Za-z-]{1,16}$/,
  ui_locales: /^[A-Za-z -]{1,64}$/,
  /** A sign-in method chosen on the sign-in screen (`pool.sign_in_methods`). */
  method: /^[a-z_]{1,32}$/,
  /** A mailed sign-in link: its id and token (magic-links.ts). */
  link: /^[0-9a-f-]{36}$/,
  token: /^[A-Za-z0-9_-]{43}$/,
  /** The theme editor's preview screens (server/pool/themes/preview-token.ts, app/[locale]/preview). */
  preview: /^[A-Za-z0-9_-]{1,300}\.[A-Za-z0-9_-]{43}$/,
  state: /^(empty|filled|error|loading)$/,
  scheme: /^(light|dark)$/,
};

export function queryProblem(_page: string, params: URLSearchParams): 'invalid_request' | null {
  for (const [key, shape] of Object.entries(shapes)) {
    const all = params.getAll(key);
    if (all.length > 1) return 'invalid_request';
    if (all.length === 1 && !shape.test(all[0])) return 'invalid_request';
  }
  return null;
}
