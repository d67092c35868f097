/** The largest form post a page accepts; Next's server-action limit is set from the same number. */
export const FORM_BODY_LIMIT_BYTES = 64 * 1024;
/** A larger post is read to its end (so the browser sees our answer), up to this much. */
export const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;
