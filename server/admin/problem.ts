import type { z } from 'zod';
import { issueCode, type FieldCode, type FieldParams } from '../config/field-codes';
import type { OverrideProblem } from '../pool/custom-text';

export type { FieldCode } from '../config/field-codes';

/** One field's problem in a refused body or query: its path and what is wrong. */
export interface FieldError {
  /** JSON Pointer (RFC 6901) into the request's body or query. */
  pointer: string;
  /** Why, in English (for API users; the console words `code` instead). */
  detail: string;
  /** Why, as a stable code (custom text's overrides have their own), with the values its wording needs. */
  code: FieldCode | OverrideProblem['code'];
  params: FieldParams;
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

/** A zod refusal of `input` as a 400 with one entry per issue, under `where` (body, query or path). */
export function invalidInput(where: 'body' | 'query' | 'path', error: z.ZodError, input: unknown): Problem {
  const errors = error.issues.map((i): FieldError => ({ pointer: pointer(i.path), detail: i.message, ...issueCode(i, input) }));
  return new Problem(400, 'invalid-request', 'The request is not valid', `the ${where} has ${errors.length === 1 ? 'a problem' : `${errors.length} problems`}`, { errors });
}

export const notFound = (what: string) => new Problem(404, 'not-found', 'No such resource', `${what} does not exist`);

/** A body naming another resource than its path: 400 on the field (`given` undefined: the path's is taken). */
export function checkSameId(field: string, given: string | undefined, inPath: string): void {
  if (given === undefined || given === inPath) return;
  throw new Problem(400, 'invalid-request', 'The request is not valid', `the body’s ${field} is not the one in the path`, { errors: [{ pointer: `/${field}`, detail: `must be "${inPath}"`, code: 'not_in_path', params: { expected: inPath } }] });
}
