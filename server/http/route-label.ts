import fs from 'node:fs';
import path from 'node:path';
import { locales } from '../../i18n/locales';

/**
 * The route a path belongs to, as a low-cardinality label for metrics: `/[locale]/login` for
 * `/ar/login`, `/oauth2/authorize/[uid]` for a resumed authorization. Paths that match no route
 * (scanners' probes) share one label, so they cannot grow the metrics without bound.
 */
const protocolRoutes = [
  '/oauth2/authorize', '/oauth2/authorize/[uid]', '/oauth2/token', '/oauth2/userInfo', '/oauth2/revoke',
  '/oauth2/introspect', '/oauth2/idpstart', '/oauth2/idpresponse', '/oauth2/idplogout',
  '/saml2/idpresponse', '/saml2/metadata/[provider]', '/saml2/logout',
  '/.well-known/openid-configuration', '/.well-known/jwks.json',
  '/logout', '/logout/confirm', '/logout/success',
  '/health/live', '/health/ready', '/metrics',
  '/login', '/oauth2/login', '/signup', '/forgotPassword', '/confirmUser',
  '/_next/static/[...asset]', '/_next/image', '/fonts/[...file]', '/themes/[sheet]', '/assets/t/[asset]',
];

type Route = { label: string; re: RegExp; rank: number };

function compile(route: string): Route {
  let rank = 0;
  const body = route
    .split('/')
    .filter(Boolean)
    .map((seg) => {
      if (/^\[\.\.\.[^\]]+\]$/.test(seg)) return '(?:/.*)?';
      if (seg === '[locale]') {
        rank += 50;
        return `/(?:${locales.join('|')})`;
      }
      if (/^\[[^\]]+\]$/.test(seg)) {
        rank += 1;
        return '/[^/]+';
      }
      rank += 100;
      return `/${seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
    })
    .join('');
  // Static segments first, then fewer parameters; catch-alls last.
  return { label: route, re: new RegExp(`^${body || '/'}$`, 'i'), rank: route.includes('[...') ? rank - 1e6 : rank };
}

/** Routes from the build (Next's app-path-routes-manifest.json), the protocol paths and `extra` (the admin API's). */
export function routeLabeller(distDir: string, extra: readonly string[] = []): (pathname: string) => string {
  let pages: string[] = [];
  try {
    pages = Object.values(JSON.parse(fs.readFileSync(path.join(distDir, 'app-path-routes-manifest.json'), 'utf8')) as Record<string, string>);
  } catch {
    // No manifest (tests without a build): protocol routes only.
  }
  const routes = [...new Set([...protocolRoutes, ...extra, ...pages.filter((p) => !p.startsWith('/_'))])].map(compile).sort((a, b) => b.rank - a.rank);
  const cache = new Map<string, string>();
  return (pathname) => {
    const hit = cache.get(pathname);
    if (hit) return hit;
    const label = routes.find((r) => r.re.test(pathname))?.label ?? 'unmatched';
    if (cache.size > 5000) cache.clear();
    cache.set(pathname, label);
    return label;
  };
}
