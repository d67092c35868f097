import { randomBytes } from 'node:crypto';
import { createVault, installVault } from '../secrets';

// What server/runtime.ts does at start: a deployment secret for the process (a fresh one per test file).
installVault(createVault(randomBytes(48)));
