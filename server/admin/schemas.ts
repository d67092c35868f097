import { z } from 'zod';
import { coded } from '../config/field-codes';
import { E164, userSeedSchema } from '../config/seed';

/**
 * The API's shapes, shared by validation and the OpenAPI document. Bodies are the pool config's
 * (server/config/seed.ts), so what the API writes `config export` reads back.
 */
export const username = z.string().min(1).max(128);
export const groupName = z.string().min(1).max(128);
/** A group's precedence is stored in a 32-bit integer column. */
export const MAX_PRECEDENCE = 2 ** 31 - 1;

export const userCreate = userSeedSchema
  .extend({
    /** Cognito's AdminCreateUser invitation, as a link: no password, mailed a link to choose one. */
    invite: z.boolean().default(false).meta({ description: 'Mail the user a one-time link (valid 7 days) to choose their password; needs `email`, takes no `password` or `password_hash`. The user is FORCE_CHANGE_PASSWORD and cannot sign in until then.' }),
  })
  .refine((u) => !(u.invite && u.password), coded('not_with_invite', 'an invited user chooses their own password: give invite or password, not both', { path: ['password'] }))
  .refine((u) => !(u.invite && u.password_hash), coded('not_with_invite', 'an invited user chooses their own password: give invite or password_hash, not both', { path: ['password_hash'] }))
  .refine((u) => !(u.invite && u.status === 'EXTERNAL_PROVIDER'), coded('not_with_invite', 'an EXTERNAL_PROVIDER user signs in at their provider: no invitation', { path: ['status'] }))
  .refine((u) => !u.invite || !!u.email, coded('required_when', 'an invitation is mailed: invite needs email', { path: ['email'], params: { other: 'invite' } }))
  .meta({ id: 'UserCreate', description: 'A user as in `users` of the pool config; `password` is checked against the pool policy. With `invite`, no password: the user is mailed a link to choose one.' });

export const invitation = z
  .object({
    pending: z.boolean().meta({ description: 'The user has no password yet and an e-mail address: an invitation can be (re)sent.' }),
    expires_at: z.number().int().optional().meta({ description: 'When the latest link stops working (ms since the epoch); absent when none works.' }),
  })
  .meta({ id: 'Invitation', description: "A user's invitation to choose a password." });

export const userRecord = z
  .object({
    username: z.string(),
    sub: z.string(),
    email: z.string().optional(),
    email_verified: z.boolean(),
    phone_number: z.string().optional(),
    phone_number_verified: z.boolean(),
    status: z.enum(['CONFIRMED', 'UNCONFIRMED', 'FORCE_CHANGE_PASSWORD', 'RESET_REQUIRED', 'EXTERNAL_PROVIDER']),
    enabled: z.boolean(),
    attributes: z.record(z.string(), z.string()),
    groups: z.array(z.string()),
    identities: z.array(z.object({ provider: z.string(), subject: z.string(), issuer: z.string().optional() })),
  })
  .meta({ id: 'User', description: 'A user as `config export` writes it, without the password hash.' });

export const userPatch = z
  .object({
    email: z.email().nullable().optional(),
    email_verified: z.boolean().optional(),
    phone_number: z.string().regex(E164, 'an E.164 number, e.g. +14155550100').nullable().optional(),
    phone_number_verified: z.boolean().optional(),
    attributes: z.record(z.string(), z.string().max(2048).nullable()).optional(),
  })
  .strict()
  .meta({ id: 'UserPatch', description: 'Fields to change; `attributes` are merged (null removes one). A changed e-mail or phone number is unverified unless said otherwise.' });

export const passwordBody = z
  .object({
    password: z.string().min(1).max(1024),
    /** false: a temporary password, to be changed at the next sign-in. */
    permanent: z.boolean().default(true),
  })
  .strict()
  .meta({ id: 'SetPassword' });

export const group = z
  .object({ name: z.string(), description: z.string().optional(), precedence: z.number().int().optional() })
  .meta({ id: 'Group', description: 'A group as in `groups` of the pool config.' });
export const groupBody = z
  .object({ description: z.string().max(2048).optional(), precedence: z.number().int().min(0).max(MAX_PRECEDENCE).optional() })
  .strict()
  .meta({ id: 'GroupBody' });

const cursor = z.string().max(512).optional().describe('`next` of the previous page');
const limit = z.coerce.number().int().min(1).max(200).default(50);
/** Epoch milliseconds. */
const instant = z.coerce.number().int().min(0);

export const pageQuery = z.object({ cursor, limit }).strict();

export const userSearch = z
  .object({
    username: z.string().max(128).optional().describe('starts with (case-insensitive)'),
    email: z.string().max(320).optional().describe('starts with (case-insensitive)'),
    phone_number: z.string().max(16).optional(),
    sub: z.string().max(64).optional(),
    attribute_name: z.string().max(64).optional(),
    attribute_value: z.string().max(2048).optional(),
    cursor,
    limit,
  })
  .strict()
  .refine((q) => (q.attribute_name === undefined) === (q.attribute_value === undefined), coded('not_together', 'give attribute_name and attribute_value together', { path: ['attribute_value'], params: { other: 'attribute_name' } }));

export const eventQuery = z
  .object({ type: z.string().max(64).optional(), username: z.string().max(128).optional(), since: instant.optional(), until: instant.optional(), cursor, limit })
  .strict();

export const auditQuery = z
  .object({
    actor: z.string().max(256).optional(),
    action: z.string().max(64).optional(),
    resource_type: z.string().max(64).optional(),
    resource_id: z.string().max(256).optional(),
    since: instant.optional(),
    until: instant.optional(),
    cursor,
    limit,
  })
  .strict();

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().optional().describe('the cursor of the next page; absent on the last') });

export const event = z
  .object({ id: z.number(), type: z.string(), user_id: z.string().nullable(), ip: z.string().nullable(), detail: z.unknown(), at: z.number().describe('epoch milliseconds') })
  .meta({ id: 'Event' });

export const auditEntry = z
  .object({
    id: z.number(),
    actor: z.object({ type: z.enum(['client', 'user']), id: z.string() }),
    action: z.string(),
    resource: z.object({ type: z.string(), id: z.string() }),
    before: z.unknown(),
    after: z.unknown(),
    request_id: z.string().nullable(),
    at: z.number().describe('epoch milliseconds'),
  })
  .meta({ id: 'AuditEntry' });

export const factor = z
  .object({ kind: z.enum(['totp', 'email', 'sms', 'webauthn', 'recovery_codes']), name: z.string().optional(), created_at: z.number(), last_used_at: z.number().optional() })
  .meta({ id: 'Factor' });
export const session = z.object({ signed_in_at: z.number().optional(), clients: z.array(z.string()) }).meta({ id: 'Session' });
export const identity = z
  .object({ provider: z.string(), provider_type: z.string(), subject: z.string(), issuer: z.string().nullable(), linked_at: z.number(), last_sign_in_at: z.number().nullable() })
  .meta({ id: 'LinkedIdentity' });
export const signedOut = z.object({ sessions_ended: z.number().int() });
export const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
