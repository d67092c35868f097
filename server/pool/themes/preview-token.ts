import { createHmac, timingSafeEqual } from 'node:crypto';
import { themeId } from '../../../themes/schema';
import { PREVIEW_ID } from '../custom-text/preview';

/** Long enough to tune a theme in the editor, short enough that a leaked link soon shows nothing. */
export const PREVIEW_TOKEN_TTL_MS = 30 * 60 * 1000;

export interface PreviewGrant {
  theme: string;
  /** The draft (else the published theme). */
  draft: boolean;
  expiresAt: number;
  /** Custom text to show with it: the id of a stored preview (server/pool/custom-text/preview.ts). */
  text?: string;
}

const sign = (secret: string, body: string) => createHmac('sha256', `theme-preview\n${secret}`).update(body).digest('base64url');

/**
 * A token that lets a browser see the preview screens of one theme (its draft or its published
 * definition) for a while, without a session: the editor's frame carries it in its URL. It shows
 * a look, never data, so holding it grants nothing else. With `text` it also shows custom text
 * not yet saved (the console's custom-text editor), on the preview screens only.
 */
export function mintPreviewToken(secret: string, g: PreviewGrant): string {
  const fields = [g.theme, g.draft ? 1 : 0, g.expiresAt, ...(g.text === undefined ? [] : [g.text])];
  const body = Buffer.from(JSON.stringify(fields)).toString('base64url');
  return `${body}.${sign(secret, body)}`;
}

export function readPreviewToken(secret: string, token: string, now: number): PreviewGrant | undefined {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return undefined;
  const want = Buffer.from(sign(secret, body));
  const got = Buffer.from(mac);
  if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined;
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(fields) || (fields.length !== 3 && fields.length !== 4)) return undefined;
  const [theme, draft, expiresAt, text] = fields as unknown[];
  if (!themeId.safeParse(theme).success || (draft !== 0 && draft !== 1) || typeof expiresAt !== 'number' || expiresAt <= now) return undefined;
  if (text !== undefined && (typeof text !== 'string' || !PREVIEW_ID.test(text))) return undefined;
  return { theme: theme as string, draft: draft === 1, expiresAt, ...(text === undefined ? {} : { text }) };
}
