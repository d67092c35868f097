import { createHash } from 'node:crypto';
import { Problem } from './problem';

/** A strong ETag of a resource's representation: it changes exactly when what a GET shows does. */
export function etagOf(representation: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(representation)).digest('base64url').slice(0, 27)}"`;
}

/**
 * `If-Match` against the resource's current ETag (undefined: there is none). Required (428 when
 * absent) on the writes that replace or remove what the caller read; honoured when given on the
 * others. Weak tags never match (RFC 9110 §13.1.1 uses the strong comparison).
 */
export function checkIfMatch(header: string | undefined, current: string | undefined, required: boolean): void {
  if (header === undefined) {
    if (required && current !== undefined) {
      throw new Problem(428, 'precondition-required', 'If-Match is required', 'send the ETag of the resource as last read (GET) in If-Match, so that a change made since is not lost');
    }
    return;
  }
  const stale = () => new Problem(412, 'precondition-failed', 'The resource has changed', 'the If-Match ETag is not the current one: read the resource again (GET) and retry');
  if (current === undefined) throw stale();
  if (header.trim() === '*') return;
  const tags = header.split(',').map((t) => t.trim());
  if (!tags.includes(current)) throw stale();
}
