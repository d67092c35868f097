import type { ProfileReader } from './index';
import { fetchProfile, profileSubject } from './profile';

/** Login with Amazon: OAuth 2.0, the user from /user/profile ({ user_id, name, email }). */
export const AMAZON_ENDPOINTS = {
  authorization_endpoint: 'https://www.amazon.com/ap/oa',
  token_endpoint: 'https://api.amazon.com/auth/o2/token',
  userinfo_endpoint: 'https://api.amazon.com/user/profile',
};

export const amazonProfile: ProfileReader = async (config, accessToken, endpoint) => {
  const claims = await fetchProfile(config, accessToken, new URL(endpoint));
  return { subject: profileSubject(claims, 'user_id'), claims };
};
