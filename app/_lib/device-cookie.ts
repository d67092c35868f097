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
