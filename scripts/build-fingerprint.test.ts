import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { fingerprint } from './build-fingerprint.mjs';

/** A tiny project tree in a temp dir. */
function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'foyer-fp-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const base = {
  'app/page.tsx': 'export default function Page() { return null; }',
  'server/pool/users.ts': 'export const x = 1;',
  'server/pool/users.test.ts': 'test',
  'messages/en.json': '{"a":"b"}',
  'package-lock.json': '{}',
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true }, include: ['**/*.ts'] }),
};

describe('build fingerprint', () => {
  it('is the same for the same sources in any directory', () => {
    expect(fingerprint(tree(base))).toBe(fingerprint(tree(base)));
  });

  it('changes with a source, a message or the dependency tree', () => {
    const fp = fingerprint(tree(base));
    expect(fingerprint(tree({ ...base, 'server/pool/users.ts': 'export const x = 2;' }))).not.toBe(fp);
    expect(fingerprint(tree({ ...base, 'messages/en.json': '{"a":"c"}' }))).not.toBe(fp);
    expect(fingerprint(tree({ ...base, 'package-lock.json': '{"v":1}' }))).not.toBe(fp);
    expect(fingerprint(tree({ ...base, 'app/new/page.tsx': 'x' }))).not.toBe(fp);
  });

  it('ignores tests and the dist dirs next build adds to tsconfig.json', () => {
    const fp = fingerprint(tree(base));
    expect(fingerprint(tree({ ...base, 'server/pool/users.test.ts': 'another test' }))).toBe(fp);
    expect(fingerprint(tree({ ...base, 'server/testing/helper.ts': 'x' }))).toBe(fp);
    expect(fingerprint(tree({ ...base, 'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true }, include: ['**/*.ts', '.next-b/types/**/*.ts'] }) }))).toBe(fp);
    expect(fingerprint(tree({ ...base, 'README.md': 'docs' }))).toBe(fp);
  });
});
