import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';
import { FORM_BODY_LIMIT_BYTES } from './server/http/limits';

const withNextIntl = createNextIntlPlugin('./i18n/request.ts');

const config: NextConfig = {
  poweredByHeader: false,
  // Lets a second build live beside the one a running test suite uses.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Loaded from node_modules at run time, so Next's code and the custom server share one copy.
  serverExternalPackages: ['oidc-provider', 'better-sqlite3', 'pg', '@node-rs/argon2', 'kysely', 'nodemailer', 'jose', 'openid-client'],
  experimental: {
    // The custom server answers larger posts with a 413 before Next sees them.
    serverActions: { bodySizeLimit: FORM_BODY_LIMIT_BYTES },
  },
};

export default withNextIntl(config);
