import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createVault, type Vault } from './vault';

/** Where the embedded default keeps its generated secret (0600, beside the SQLite database). */
export const SECRET_FILE_NAME = 'foyer-secret';
const MIN_LENGTH = 32;

export type SecretSource = 'FOYER_SECRET' | 'FOYER_SECRET_FILE' | 'generated' | 'data-dir';

export interface DeploymentSecretEnv {
  secret?: string;
  secretFile?: string;
  previousSecrets: string[];
  dataDir: string;
}

function checked(value: string, what: string): Buffer {
  const v = value.trim();
  if (v.length < MIN_LENGTH) throw new Error(`Invalid ${what}: must be at least ${MIN_LENGTH} characters (e.g. \`openssl rand -base64 48\`)`);
  return Buffer.from(v, 'utf8');
}

function readSecretFile(file: string, what: string): Buffer {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return checked(text, `${what} ${file}`);
}

/**
 * The deployment's one shared secret. Every instance of a deployment must be given the same one:
 * FOYER_SECRET, or FOYER_SECRET_FILE (a file holding it, e.g. a container secret). The embedded
 * default makes one at first start in DATA_DIR (mode 0600), so `npm start` needs nothing.
 * FOYER_SECRET_PREVIOUS (comma-separated) opens what older secrets sealed, during a rotation.
 */
export function resolveDeploymentSecret(env: DeploymentSecretEnv, opts: { create?: boolean } = {}): { vault: Vault; source: SecretSource; file?: string } {
  const previous = env.previousSecrets.map((p) => checked(p, 'FOYER_SECRET_PREVIOUS'));
  if (env.secret !== undefined) return { vault: createVault(checked(env.secret, 'FOYER_SECRET'), previous), source: 'FOYER_SECRET' };
  if (env.secretFile !== undefined) {
    return { vault: createVault(readSecretFile(env.secretFile, 'FOYER_SECRET_FILE'), previous), source: 'FOYER_SECRET_FILE', file: env.secretFile };
  }
  const file = path.join(env.dataDir, SECRET_FILE_NAME);
  if (opts.create === false && !fs.existsSync(file)) {
    throw new Error(`No deployment secret: set FOYER_SECRET or FOYER_SECRET_FILE as the server has it (there is no ${file})`);
  }
  fs.mkdirSync(env.dataDir, { recursive: true });
  try {
    // 'wx': two processes starting on one DATA_DIR agree on the first file written.
    fs.writeFileSync(file, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    return { vault: createVault(readSecretFile(file, 'secret file'), previous), source: 'generated', file };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`Cannot write the secret file ${file}: ${(e as Error).message}`);
  }
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) throw new Error(`The secret file ${file} is readable by others (mode ${mode.toString(8)}): chmod 600 it`);
  return { vault: createVault(readSecretFile(file, 'secret file'), previous), source: 'data-dir', file };
}
