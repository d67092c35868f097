import type { z } from 'zod';
import type { Actor, AdminOps, Pool } from '../pool';
import type { Principal } from './auth';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a handler answers; the framework adds the headers (ETag, Location) and the JSON. */
export type Reply =
  | { status: 200 | 201; body: unknown; etag?: string; location?: string }
  | { status: 204; etag?: string }
  /** JSON Lines, one record per line (the audit export). */
  | { status: 200; lines: AsyncIterable<unknown> };

export interface AuditNote {
  action: string;
  resource: { type: string; id: string };
  before: unknown;
  after: unknown;
}

/** What a handler is given: its inputs, validated by the route's schemas, and the pool. */
export interface Call<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  admin: Pool['admin'];
  /** Checks If-Match against the resource's current ETag (undefined: none); throws 412 / 428. */
  ifMatch(current: string | undefined): void;
  /** Runs a write and its audit row in one transaction; `audit` is to be called once per change. */
  write<T>(fn: (admin: AdminOps, audit: (note: AuditNote) => Promise<void>) => Promise<T>): Promise<T>;
}

/** One operation of the API: its method and path, its schemas (which validate AND document it), its handler. */
export interface Route<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  /** The OpenAPI operationId. */
  id: string;
  method: Method;
  /** Relative to /admin/api/v1, with `{name}` for a path parameter. */
  path: string;
  tag: 'users' | 'groups' | 'clients' | 'resource-servers' | 'identity-providers' | 'themes' | 'custom-text' | 'settings' | 'events' | 'audit';
  summary: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The body's size limit in bytes, when not the default (ADMIN_BODY_LIMIT_BYTES). */
  bodyLimit?: number;
  /** The success status and the schema of its body (none for 204). */
  response: { status: 200 | 201 | 204; schema?: z.ZodType; etag?: boolean; mediaType?: 'application/json' | 'application/jsonl' };
  /** Whether a write needs If-Match (428 without), or checks it when given. Writes need `foyer/admin`, GETs `foyer/admin.read`. */
  ifMatch?: 'required' | 'optional';
  handle(call: Call<z.output<P>, z.output<Q>, z.output<B>>): Promise<Reply>;
}

/** Infers a route's types from its schemas, then forgets them, so one table holds every route. */
export function route<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(r: Route<P, Q, B>): Route {
  return r as unknown as Route;
}

export type { Actor };
