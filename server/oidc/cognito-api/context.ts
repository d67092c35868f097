import type { JWTPayload } from 'jose';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema';
import type { Pool } from '../../pool';
import type { ProtocolEndpoints } from './endpoints';

/** What every operation is given: the pool, oidc-provider's endpoints, and the access-token check. */
export interface OpContext {
  pool: Pool;
  db: Kysely<Database>;
  endpoints: ProtocolEndpoints;
  /** A live access token of ours (signature, issuer, expiry, grant not revoked), or undefined. */
  verifyAccessToken(token: string): Promise<JWTPayload | undefined>;
}

/** One operation of the user-pool API: its body's schema, and what it answers. */
export interface Operation<S extends z.ZodType = z.ZodType> {
  input: S;
  run(input: z.infer<S>, ctx: OpContext): Promise<Record<string, unknown>>;
}

export const operation = <S extends z.ZodType>(op: Operation<S>): Operation => op as unknown as Operation;

/** Cognito's shapes: a client id, and tokens (bounded, so a huge value is refused, not parsed). */
export const clientId = z.string().regex(/^[\w+]+$/).min(1).max(128);
export const token = z.string().min(1).max(16384);
export const clientMetadata = z.record(z.string().max(256), z.string().max(2048)).optional();
