import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { routeLabeller } from './route-label';
import { adminRouteLabels } from '../admin';

describe('route labels for metrics', () => {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'foyer-dist-'));
  fs.writeFileSync(
    path.join(dist, 'app-path-routes-manifest.json'),
    JSON.stringify({
      '/[locale]/[...rest]/page': '/[locale]/[...rest]',
      '/[locale]/login/page': '/[locale]/login',
      '/[locale]/mfa/setup/sms/page': '/[locale]/mfa/setup/sms',
      '/[locale]/page': '/[locale]',
      '/_not-found/page': '/_not-found',
      '/api/demo/callback/route': '/api/demo/callback',
    }),
  );
  const label = routeLabeller(dist);

  it('names pages by their route, whatever the locale', () => {
    expect(label('/en/login')).toBe('/[locale]/login');
    expect(label('/ar/login')).toBe('/[locale]/login');
    expect(label('/ar/mfa/setup/sms')).toBe('/[locale]/mfa/setup/sms');
    expect(label('/en')).toBe('/[locale]');
    expect(label('/api/demo/callback')).toBe('/api/demo/callback');
  });

  it('names protocol paths, with ids folded', () => {
    expect(label('/oauth2/authorize')).toBe('/oauth2/authorize');
    expect(label('/oauth2/authorize/Zq1x-abc')).toBe('/oauth2/authorize/[uid]');
    expect(label('/oauth2/userinfo')).toBe('/oauth2/userInfo');
    expect(label('/saml2/metadata/Okta')).toBe('/saml2/metadata/[provider]');
    expect(label('/_next/static/chunks/abc.js')).toBe('/_next/static/[...asset]');
  });

  it('names the admin API operations, with ids folded', () => {
    const withAdmin = routeLabeller(dist, adminRouteLabels);
    expect(withAdmin('/admin/api/v1/users/alice')).toBe('/admin/api/v1/users/[username]');
    expect(withAdmin('/admin/api/v1/users/alice/sign-out')).toBe('/admin/api/v1/users/[username]/sign-out');
    expect(withAdmin('/admin/api/v1/audit/export')).toBe('/admin/api/v1/audit/export');
    expect(withAdmin('/admin/api/v1/openapi.json')).toBe('/admin/api/v1/openapi.json');
  });

  it('folds everything else into a few labels', () => {
    expect(label('/en/no/such/page')).toBe('/[locale]/[...rest]');
    expect(label('/wp-admin/install.php')).toBe('unmatched');
    expect(label('/')).toBe('unmatched');
  });
});
