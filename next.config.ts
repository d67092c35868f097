import fs from 'node:fs';
import path from 'node:path';
import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';
import { UPLOAD_FORM_BODY_LIMIT_BYTES } from './server/http/limits';

const withNextIntl = createNextIntlPlugin('./i18n/request.ts');

/**
 * Turbopack resolves only inside its root. A git worktree may borrow another checkout's
 * node_modules through a symlink, so the root is the nearest directory holding both (the
 * project itself when node_modules is a plain directory).
 */
function workspaceRoot(): string {
  const here = process.cwd();
  let modules: string;
  try {
    modules = fs.realpathSync(path.join(here, 'node_modules'));
  } catch {
    return here;
  }
  let root = here;
  while (!modules.startsWith(root + path.sep) && path.dirname(root) !== root) root = path.dirname(root);
  return root;
}

const config: NextConfig = {
  turbopack: { root: workspaceRoot() },
  poweredByHeader: false,
  // scripts/build-if-needed.mjs names each build after its sources, so separate builds of one
  // commit agree (the instances behind one load balancer serve each other's pages and assets).
  generateBuildId: async () => process.env.FOYER_BUILD_ID ?? null,
  // Lets a second build live beside the one a running test suite uses.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Loaded from node_modules at run time, so Next's code and the custom server share one copy
  // (the SAML libraries too: pages import the federation module, which registers SAML).
  serverExternalPackages: ['oidc-provider', 'better-sqlite3', 'pg', '@node-rs/argon2', 'kysely', 'nodemailer', 'jose', 'openid-client', '@node-saml/node-saml', 'xml-crypto', 'xml-encryption', '@xmldom/xmldom', 'pino', 'prom-client'],
  experimental: {
    // The custom server answers larger posts with a 413 before Next sees them (64 KB, or 8 MiB on
    // the console's theme screens, which take uploads: server/http/limits.ts).
    serverActions: { bodySizeLimit: UPLOAD_FORM_BODY_LIMIT_BYTES },
  },
};

export default withNextIntl(config);
