import * as oidc from 'openid-client';
import { subjectSchema } from '../mapping';

/** GETs a provider's profile API with the access token; the answer must be a JSON object. */
export async function fetchProfile(config: oidc.Configuration, accessToken: string, url: URL): Promise<Record<string, unknown>> {
  const res = await oidc.fetchProtectedResource(config, accessToken, url, 'GET');
  if (!res.ok) throw new ProfileError(`profile endpoint answered ${res.status}`);
  const body: unknown = await res.json().catch(() => undefined);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ProfileError('profile endpoint answered no JSON object');
  return body as Record<string, unknown>;
}

/** The profile's own id for the user, as a string (Facebook and Amazon use different names). */
export function profileSubject(profile: Record<string, unknown>, field: string): string {
  const raw = profile[field];
  const parsed = subjectSchema.safeParse(typeof raw === 'number' ? String(raw) : raw);
  if (!parsed.success) throw new ProfileError(`profile has no usable "${field}"`);
  return parsed.data;
}

/** A profile API answered something we cannot use: a bad response, not an outage. */
export class ProfileError extends Error {}
