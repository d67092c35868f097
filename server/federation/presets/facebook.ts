import type { IdentityProviderOf } from '../../config/identity-providers';
import type { ProfileReader } from './index';
import { fetchProfile, profileSubject } from './profile';

const DEFAULT_VERSION = 'v19.0';

/** Facebook Login: OAuth 2.0, the user from the Graph API's /me. */
export function facebookEndpoints(p: IdentityProviderOf<'facebook'>) {
  const v = p.api_version ?? DEFAULT_VERSION;
  return {
    authorization_endpoint: p.authorization_endpoint ?? `https://www.facebook.com/${v}/dialog/oauth`,
    token_endpoint: p.token_endpoint ?? `https://graph.facebook.com/${v}/oauth/access_token`,
    userinfo_endpoint: p.userinfo_endpoint ?? `https://graph.facebook.com/${v}/me`,
  };
}

export const facebookProfile: ProfileReader = async (config, accessToken, endpoint) => {
  const url = new URL(endpoint);
  if (!url.searchParams.has('fields')) url.searchParams.set('fields', 'id,name,email,first_name,last_name,picture');
  const claims = await fetchProfile(config, accessToken, url);
  return { subject: profileSubject(claims, 'id'), claims };
};
