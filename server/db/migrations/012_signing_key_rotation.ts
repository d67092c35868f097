import { sql, type Kysely } from 'kysely';

/**
 * Signing-key rotation: keys form one sequence (`seq`, unique, so two rotations at once cannot
 * both take the same place), and each starts signing at `activates_at` (epoch ms), published in
 * JWKS before that. The key made at first start becomes the first of the sequence, active since
 * it was made; the copy of it that first start left in `secrets` goes.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('signing_keys').addColumn('seq', 'integer').execute();
  await db.schema.alterTable('signing_keys').addColumn('activates_at', 'bigint').execute();
  await sql`
    update signing_keys set
      activates_at = created_at,
      seq = (select count(*) from signing_keys older
             where older.created_at < signing_keys.created_at
                or (older.created_at = signing_keys.created_at and older.kid < signing_keys.kid))
  `.execute(db);
  await db.schema.createIndex('signing_keys_seq').on('signing_keys').column('seq').unique().execute();
  await db.deleteFrom('secrets').where('name', '=', 'first-signing-key').execute();
}
