#!/usr/bin/env node
// Finds a Chromium for the end-to-end tests (run as npm `pretest`).
// Order: $CHROMIUM_PATH, well-known system paths, apt-get (root only), Playwright's own browser.
// The choice is written to node_modules/.cache/foyer-chromium-path for playwright.config.ts;
// an empty file means "use Playwright's own browser".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheFile = path.join(root, 'node_modules', '.cache', 'foyer-chromium-path');
const systemPaths = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function choose(executable, how) {
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
  fs.writeFileSync(cacheFile, executable);
  console.log(`Chromium for end-to-end tests: ${executable || "Playwright's own Chromium"} (${how})`);
  process.exit(0);
}

const fromEnv = process.env.CHROMIUM_PATH;
if (fromEnv) {
  if (!isExecutable(fromEnv)) {
    console.error(`CHROMIUM_PATH is set to ${fromEnv}, but that is not an executable file.`);
    process.exit(1);
  }
  choose(fromEnv, 'CHROMIUM_PATH');
}

const findSystem = () => systemPaths.find(isExecutable);
const system = findSystem();
if (system) choose(system, 'system');

if (process.getuid?.() === 0) {
  console.log('No system Chromium found; installing one with apt-get (running as root)...');
  const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status === 0;
  if (run('apt-get', ['update']) && run('apt-get', ['install', '-y', 'chromium'])) {
    const installed = findSystem();
    if (installed) choose(installed, 'system, installed with apt-get');
  }
  console.log('apt-get did not provide a Chromium; trying Playwright\'s own browser.');
}

console.log('No system Chromium found; trying `npx playwright install chromium`...');
const pw = spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit', cwd: root });
if (pw.status === 0) choose('', 'downloaded by Playwright');

console.error(
  [
    'Could not find or install a Chromium for the end-to-end tests.',
    `Looked at: ${systemPaths.join(', ')}; \`npx playwright install chromium\` failed.`,
    'Install Chromium (e.g. `apt-get install chromium`) or set CHROMIUM_PATH to a Chromium/Chrome executable.',
  ].join('\n'),
);
process.exit(1);
