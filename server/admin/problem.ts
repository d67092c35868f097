import type { z } from 'zod';

/** One field's problem in a refused body or query: its path and what is wrong. */
export interface FieldError {
  /** JSON Pointer (RFC 6901) into the request's body or query. */
  pointer: string;
  detail: string;
  /** Why, as a code (where the operation has codes: custom text's), with the values its wording needs. */
  code?: string;
  params?: Record<string, string>;
}

/**
 * An RFC 9457 problem: thrown anywhere in a handler, answered as `application/problem+json`.
 * `type` is a URI naming the kind of problem (relative, resolved against the API's base).
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? title);
  }

  body(): Record<string, unknown> {
    return {
      type: `/admin/api/v1/problems/${this.kind}`,
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.extra.errors ? { errors: this.extra.errors } : {}),
    };
  }
}

export const pointer = (path: readonly PropertyKey[]): string =>
  '/' + path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** A zod refusal as a 400 with one entry per issue, under `where` (body, query or path). */
export function invalidInput(where: 'body' | 'query' | 'path', error: z.ZodError): Problem {
  const errors = error.issues.map((i) => ({ pointer: pointer(i.path), detail: i.message }));
  return new Problem(400, 'invalid-request', 'The request is not valid', `the ${where} has ${errors.length === 1 ? 'a problem' : `${errors.length} problems`}`, { errors });
}

export const notFound = (what: string) => new Problem(404, 'not-found', 'No such resource', `${what} does not exist`);

/** A body naming another resource than its path: 400 on the field (`given` undefined: the path's is taken). */
export function checkSameId(field: string, given: string | undefined, inPath: string): void {
  if (given === undefined || given === inPath) return;
  throw new Problem(400, 'invalid-request', 'The request is not valid', `the body’s ${field} is not the one in the path`, { errors: [{ pointer: `/${field}`, detail: `must be "${inPath}"` }] });
}
