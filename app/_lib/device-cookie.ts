import { cookies } from 'next/headers';

/** The remembered-device token lives in its own cookie, `__Host-` prefixed over TLS. */
function cookieName(publicUrl: string): string {
  return publicUrl.startsWith('https://') ? '__Host-foyer.device' : 'foyer.device';
}

export async function readDeviceToken(publicUrl: string): Promise<string | undefined> {
  return (await cookies()).get(cookieName(publicUrl))?.value;
}

export async function keepDeviceToken(publicUrl: string, token: string, days: number): Promise<void> {
  (await cookies()).set(cookieName(publicUrl), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: publicUrl.startsWith('https://'),
    maxAge: days * 86_400,
  });
}

/** A short name for a browser from its User-Agent ("Firefox on Windows"), for the device list. */
export function browserLabel(userAgent: string): string {
  const browser = /Edg\//.test(userAgent) ? 'Edge' : /Firefox\//.test(userAgent) ? 'Firefox' : /Chrom(e|ium)\//.test(userAgent) ? 'Chrome' : /Safari\//.test(userAgent) ? 'Safari' : null;
  const os = /Windows/.test(userAgent) ? 'Windows' : /Android/.test(userAgent) ? 'Android' : /iPhone|iPad/.test(userAgent) ? 'iOS' : /Mac OS X/.test(userAgent) ? 'macOS' : /Linux/.test(userAgent) ? 'Linux' : null;
  return [browser, os].filter(Boolean).join(' · ');
}
