#!/usr/bin/env node
// Runs npm scripts side by side (`npm test`: the type check and the linter, each mostly on one
// core, so together they take about the longer one's time on the 2-core CI machine). Each
// script's output is printed whole when it ends, not interleaved; fails if any of them fails.
//
//   node scripts/run-together.mjs typecheck lint
import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
if (names.length === 0) {
  console.error('usage: node scripts/run-together.mjs <npm script>...');
  process.exit(2);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const runs = names.map(
  (name) =>
    new Promise((resolve) => {
      const started = Date.now();
      const child = spawn(npm, ['run', '--silent', name], { stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks = [];
      child.stdout.on('data', (c) => chunks.push(c));
      child.stderr.on('data', (c) => chunks.push(c));
      child.once('error', (e) => chunks.push(Buffer.from(`${e.message}\n`)));
      child.once('close', (code, signal) => {
        const seconds = Math.round((Date.now() - started) / 1000);
        process.stdout.write(Buffer.concat(chunks));
        const ok = code === 0;
        console.log(`${name}: ${ok ? 'passed' : `failed (${signal ?? `exit ${code}`})`} in ${seconds} s`);
        resolve(ok);
      });
    }),
);
const results = await Promise.all(runs);
process.exit(results.every(Boolean) ? 0 : 1);
