/** Double-submit CSRF token: a cookie set by the proxy, echoed in every form. Edge-safe (no node:). */
export function newCsrfToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
