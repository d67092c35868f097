import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

const withNextIntl = createNextIntlPlugin('./i18n/request.ts');

const config: NextConfig = {
  poweredByHeader: false,
  // Lets a second build live beside the one a running test suite uses.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Loaded from node_modules at run time, so Next's code and the custom server share one copy.
  serverExternalPackages: ['oidc-provider', 'better-sqlite3', 'pg', '@node-rs/argon2', 'kysely', 'nodemailer', 'jose', 'openid-client'],
  experimental: {
    serverActions: { bodySizeLimit: '64kb' },
  },
};

export default withNextIntl(config);
