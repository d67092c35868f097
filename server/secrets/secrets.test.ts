import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeEachDb } from '../testing/databases';
import { createVault, resealSecrets, resolveDeploymentSecret, SECRET_FILE_NAME, secretStore } from '.';

const secret = () => randomBytes(48);

describe('vault', () => {
  it('seals so that only the same deployment secret and context open it', () => {
    const key = secret();
    const v = createVault(key);
    const sealed = v.seal('the pepper', 'secrets:pool-pepper');
    expect(sealed).not.toContain('pepper');
    expect(v.isSealed(sealed)).toBe(true);
    expect(v.isCurrent(sealed)).toBe(true);
    expect(createVault(key).unseal(sealed, 'secrets:pool-pepper')).toBe('the pepper');
    // Moved to another row: the context is authenticated.
    expect(() => v.unseal(sealed, 'secrets:cookie-key')).toThrow();
    // Another deployment's secret: named as such, not a cryptic failure.
    expect(() => createVault(secret()).unseal(sealed, 'secrets:pool-pepper')).toThrow(/FOYER_SECRET/);
    // Tampered ciphertext.
    const parts = sealed.split('.');
    parts[4] = Buffer.from('x' + Buffer.from(parts[4], 'base64url').toString('latin1').slice(1), 'latin1').toString('base64url');
    expect(() => v.unseal(parts.join('.'), 'secrets:pool-pepper')).toThrow();
  });

  it('opens with a previous secret during a rotation, and seals only with the current one', () => {
    const old = secret();
    const sealedBefore = createVault(old).seal('kept', 'c');
    const rotated = createVault(secret(), [old]);
    expect(rotated.unseal(sealedBefore, 'c')).toBe('kept');
    expect(rotated.isCurrent(sealedBefore)).toBe(false);
    expect(rotated.isCurrent(rotated.seal('kept', 'c'))).toBe(true);
  });

  it('derives the same key for a purpose from the same secret, and different keys otherwise', () => {
    const key = secret();
    expect(createVault(key).derive('next server actions')).toEqual(createVault(key).derive('next server actions'));
    expect(createVault(key).derive('next server actions')).not.toEqual(createVault(key).derive('other'));
    expect(createVault(secret()).derive('next server actions')).not.toEqual(createVault(key).derive('next server actions'));
    expect(createVault(key).derive('x', 16)).toHaveLength(16);
  });
});

describe('deployment secret', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'foyer-secret-'));

  it('comes from FOYER_SECRET, then FOYER_SECRET_FILE, else a 0600 file made in DATA_DIR', () => {
    const dir = tmp();
    const long = 'x'.repeat(40);
    expect(resolveDeploymentSecret({ secret: long, previousSecrets: [], dataDir: dir }).source).toBe('FOYER_SECRET');
    expect(fs.existsSync(path.join(dir, SECRET_FILE_NAME))).toBe(false);

    const file = path.join(dir, 'given');
    fs.writeFileSync(file, `${long}\n`);
    const fromFile = resolveDeploymentSecret({ secretFile: file, previousSecrets: [], dataDir: dir });
    expect(fromFile.source).toBe('FOYER_SECRET_FILE');
    // The trailing newline of a secret file is not part of the secret.
    expect(fromFile.vault.keyId).toBe(resolveDeploymentSecret({ secret: long, previousSecrets: [], dataDir: dir }).vault.keyId);

    const made = resolveDeploymentSecret({ previousSecrets: [], dataDir: dir });
    expect(made.source).toBe('generated');
    const stat = fs.statSync(path.join(dir, SECRET_FILE_NAME));
    expect(stat.mode & 0o777).toBe(0o600);
    const again = resolveDeploymentSecret({ previousSecrets: [], dataDir: dir });
    expect(again.source).toBe('data-dir');
    expect(again.vault.keyId).toBe(made.vault.keyId);
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses what would be weak or exposed, naming the variable', () => {
    const dir = tmp();
    expect(() => resolveDeploymentSecret({ secret: 'short', previousSecrets: [], dataDir: dir })).toThrow(/FOYER_SECRET: must be at least 32/);
    expect(() => resolveDeploymentSecret({ secret: 'x'.repeat(40), previousSecrets: ['short'], dataDir: dir })).toThrow(/FOYER_SECRET_PREVIOUS/);
    expect(() => resolveDeploymentSecret({ secretFile: path.join(dir, 'missing'), previousSecrets: [], dataDir: dir })).toThrow(/FOYER_SECRET_FILE .*ENOENT/);
    resolveDeploymentSecret({ previousSecrets: [], dataDir: dir });
    fs.chmodSync(path.join(dir, SECRET_FILE_NAME), 0o644);
    expect(() => resolveDeploymentSecret({ previousSecrets: [], dataDir: dir })).toThrow(/readable by others/);
    fs.rmSync(dir, { recursive: true });
  });
});

describeEachDb('sealed secrets in the database', (open) => {
  it('are made once when instances race, and stored sealed', async () => {
    const db = await open();
    const v = createVault(secret());
    const values = await Promise.all([1, 2, 3, 4].map(() => secretStore(db.kysely, v).ensure('cookie-key')));
    expect(new Set(values).size).toBe(1);
    const row = await db.kysely.selectFrom('secrets').select('value').where('name', '=', 'cookie-key').executeTakeFirstOrThrow();
    expect(row.value).not.toContain(values[0]);
    expect(v.isCurrent(row.value)).toBe(true);
    // Another deployment secret cannot read it.
    await expect(secretStore(db.kysely, createVault(secret())).get('cookie-key')).rejects.toThrow(/FOYER_SECRET/);
  });

  it('are sealed again at start when plaintext (older databases) or sealed by a previous secret', async () => {
    const db = await open();
    const old = secret();
    await db.kysely.insertInto('secrets').values({ name: 'pool-pepper', value: 'plain-pepper', created_at: 1 }).execute();
    await secretStore(db.kysely, createVault(old)).ensure('csrf-key', () => 'csrf-value');
    const current = createVault(secret(), [old]);
    expect(await resealSecrets(db.kysely, current)).toBe(2);
    expect(await resealSecrets(db.kysely, current)).toBe(0);
    const rows = await db.kysely.selectFrom('secrets').select(['name', 'value']).execute();
    for (const r of rows) expect(current.isCurrent(r.value)).toBe(true);
    const store = secretStore(db.kysely, current);
    expect(await store.get('pool-pepper')).toBe('plain-pepper');
    expect(await store.get('csrf-key')).toBe('csrf-value');
  });
});
