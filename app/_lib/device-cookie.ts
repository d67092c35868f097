import { ourCookies } from './cookies';

/** The remembered-device token lives in its own cookie (server/http/cookies.ts `device`). */
export async function readDeviceToken(): Promise<string | undefined> {
  return (await ourCookies()).get('device');
}

export async function keepDeviceToken(token: string, days: number): Promise<void> {
  (await ourCookies()).set('device', token, days * 86_400);
}

/** A short name for a browser from its User-Agent ("Firefox on Windows"), for the device list. */
export function browserLabel(userAgent: string): string {
  const browser = /Edg\//.test(userAgent) ? 'Edge' : /Firefox\//.test(userAgent) ? 'Firefox' : /Chrom(e|ium)\//.test(userAgent) ? 'Chrome' : /Safari\//.test(userAgent) ? 'Safari' : null;
  const os = /Windows/.test(userAgent) ? 'Windows' : /Android/.test(userAgent) ? 'Android' : /iPhone|iPad/.test(userAgent) ? 'iOS' : /Mac OS X/.test(userAgent) ? 'macOS' : /Linux/.test(userAgent) ? 'Linux' : null;
  return [browser, os].filter(Boolean).join(' · ');
}
