/** Double-submit CSRF token: a cookie set by the proxy, echoed in every form. Edge-safe (no node:). */
export function newCsrfToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** What newCsrfToken makes: 24 random bytes, base64url (32 characters). */
export function isCsrfToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{32}$/.test(value);
}
