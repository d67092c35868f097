/** The largest form post a page accepts. */
export const FORM_BODY_LIMIT_BYTES = 64 * 1024;
/**
 * The console's theme screens take uploads (logo, favicon, font, images: 1 MiB each at most) and
 * a theme's JSON; Next's server-action limit is set from this, the largest any page accepts.
 */
export const UPLOAD_FORM_BODY_LIMIT_BYTES = 8 * 1024 * 1024;
const UPLOAD_PAGES = /^\/[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*\/admin\/themes(\/[^/]{1,200})?$/;

/** What a post to `pathname` may carry: its size, and whether files (only the theme screens take any). */
export function formPolicy(pathname: string): { limit: number; files: boolean } {
  return UPLOAD_PAGES.test(pathname) ? { limit: UPLOAD_FORM_BODY_LIMIT_BYTES, files: true } : { limit: FORM_BODY_LIMIT_BYTES, files: false };
}
/** A larger post is read to its end (so the browser sees our answer), up to this much. */
export const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;
