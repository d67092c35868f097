import type { AdminOps, AdminRefusal, RefusalProblem } from '../pool';
import { etagOf } from './etag';
import { notFound, pointer, Problem, type FieldError } from './problem';
import type { Call, Reply } from './route';

/** A refused write as a problem: 400 with field errors, or 409. */
export function refused(r: AdminRefusal): Problem {
  if (r.error === 'conflict') return new Problem(409, 'conflict', 'Conflicts with an existing resource', r.message, { errors: 'problems' in r ? r.problems.map(fieldError) : [fieldError(r)] });
  return new Problem(400, 'invalid-request', 'The request is not valid', r.problems.map((p) => p.message).join('; '), {
    errors: r.problems.map(fieldError),
  });
}

const fieldError = (p: RefusalProblem): FieldError => ({ pointer: pointer(p.path), detail: p.message, code: p.code, params: p.params });

/** What a change answers: a refusal, or the stored resource as it now is (nothing: read it again). */
type Saved<S> = S | AdminRefusal | void | undefined;

const isRefusal = (x: unknown): x is AdminRefusal => typeof x === 'object' && x !== null && 'error' in x;

/**
 * One resource as its writes see it: how it is stored, and what a GET shows of it (what its ETag
 * and the audit rows cover).
 */
export interface Target<S, R> {
  /** The audit row's resource type, and the prefix of its action (`group` → `group.update`). */
  type: string;
  /** What a 404 names (`group "staff"`). */
  what: string;
  /** The stored resource, undefined when there is none (read inside the write's transaction). */
  load(admin: AdminOps): Promise<S | undefined>;
  /** What a GET answers of it (default: the stored resource itself). */
  show?(stored: S, admin: AdminOps): R | Promise<R>;
  /** The audit row's resource id, from what is shown. */
  idOf(shown: R): string;
}

async function shownOf<S, R>(t: Target<S, R>, admin: AdminOps, stored: S): Promise<R> {
  return t.show ? t.show(stored, admin) : (stored as unknown as R);
}

/**
 * Creates, replaces or changes a resource, the same way on every route: in one transaction its
 * current state is read, If-Match checked against its ETag, `save` applied (a refusal answered as
 * a problem), the state after read back (or taken from `save`) and audited with the one before;
 * the answer is the new representation and its ETag.
 */
export async function writeResource<S, R = S>(
  c: Call<unknown, unknown, unknown>,
  t: Target<S, R> & {
    /** The audit action (default `<type>.create` or `<type>.update`). */
    action?: string;
    /** The answer's body (default: what is shown). */
    body?(shown: R, stored: S): unknown;
  } & (
      | {
          /** A change to what must exist: 404 when it does not. */
          existing: true;
          /** The change; it may answer the stored resource as it now is (else it is read again). */
          save(admin: AdminOps, before: S): Promise<Saved<S>>;
        }
      | {
          /** Else a missing one is created. */
          existing?: false;
          save(admin: AdminOps, before: S | undefined): Promise<Saved<S>>;
        }
    ),
): Promise<Reply> {
  const after = await c.write(async (admin, audit) => {
    const stored = await t.load(admin);
    if (stored === undefined && t.existing) throw notFound(t.what);
    const before = stored === undefined ? undefined : await shownOf(t, admin, stored);
    c.ifMatch(before === undefined ? undefined : etagOf(before));
    const saved = await (t.save as (admin: AdminOps, before: S | undefined) => Promise<Saved<S>>)(admin, stored);
    if (isRefusal(saved)) throw refused(saved);
    const current = saved ?? (await t.load(admin));
    if (current === undefined) throw notFound(t.what);
    const now = await shownOf(t, admin, current);
    await audit({ action: t.action ?? `${t.type}.${before === undefined ? 'create' : 'update'}`, resource: { type: t.type, id: t.idOf(now) }, before: before ?? null, after: now });
    return { now, current };
  });
  return { status: 200, body: t.body ? t.body(after.now, after.current) : after.now, etag: etagOf(after.now) };
}

/**
 * Deletes a resource: in one transaction it is read (404 when missing), If-Match checked against
 * its ETag, `remove` applied (a refusal answered as a problem) and audited; the answer is 204.
 */
export async function deleteResource<S, R = S>(
  c: Call<unknown, unknown, unknown>,
  t: Target<S, R> & { remove(admin: AdminOps, before: S): Promise<AdminRefusal | void | undefined>; action?: string },
): Promise<Reply> {
  await c.write(async (admin, audit) => {
    const stored = await t.load(admin);
    if (stored === undefined) throw notFound(t.what);
    const before = await shownOf(t, admin, stored);
    c.ifMatch(etagOf(before));
    const refusal = await t.remove(admin, stored);
    if (refusal) throw refused(refusal);
    await audit({ action: t.action ?? `${t.type}.delete`, resource: { type: t.type, id: t.idOf(before) }, before, after: null });
  });
  return { status: 204 };
}
