import { describe, expect, it } from 'vitest';
import { cognitoLogoutRequest, cognitoLogoutTarget } from './cognito-logout';

const q = (s: string) => new URLSearchParams(s);
const client = {
  postLogoutRedirectUriAllowed: (u: string) => u === 'https://app.example/bye',
  redirectUriAllowed: (u: string) => u === 'https://app.example/cb',
};

describe("Cognito's /logout", () => {
  it('leaves standard OpenID requests and requests without a way out to oidc-provider', () => {
    expect(cognitoLogoutRequest(q('id_token_hint=x&client_id=a&logout_uri=https://app.example/bye'))).toBeUndefined();
    expect(cognitoLogoutRequest(q('client_id=a&post_logout_redirect_uri=https://app.example/bye'))).toBeUndefined();
    expect(cognitoLogoutRequest(q('client_id=a'))).toBeUndefined();
    expect(cognitoLogoutRequest(q('logout_uri=https://app.example/bye'))).toBeUndefined();
  });

  it('goes to a registered logout_uri only', () => {
    const asked = cognitoLogoutRequest(q('client_id=a&logout_uri=https://app.example/bye'));
    expect(asked).toEqual({ clientId: 'a', logoutUri: 'https://app.example/bye', lang: undefined });
    expect(cognitoLogoutTarget(asked as never, client)).toBe('https://app.example/bye');
    const other = cognitoLogoutRequest(q('client_id=a&logout_uri=https://app.example/bye/'));
    expect(cognitoLogoutTarget(other as never, client)).toBeUndefined();
  });

  it('signs in again with the same parameters when redirect_uri is registered and response_type is code', () => {
    const asked = cognitoLogoutRequest(q('client_id=a&redirect_uri=https://app.example/cb&response_type=code&state=s&lang=ar'));
    const target = cognitoLogoutTarget(asked as never, client)!;
    expect(target.startsWith('/oauth2/authorize?')).toBe(true);
    expect(Object.fromEntries(new URL(target, 'https://x').searchParams)).toEqual({
      client_id: 'a', redirect_uri: 'https://app.example/cb', response_type: 'code', state: 's', lang: 'ar',
    });
    const elsewhere = cognitoLogoutRequest(q('client_id=a&redirect_uri=https://evil.example/cb&response_type=code'));
    expect(cognitoLogoutTarget(elsewhere as never, client)).toBeUndefined();
  });

  it('refuses ambiguous or malformed requests', () => {
    for (const bad of [
      'client_id=a&logout_uri=https://app.example/bye&redirect_uri=https://app.example/cb&response_type=code',
      'client_id=a&client_id=b&logout_uri=https://app.example/bye',
      'client_id=a&redirect_uri=https://app.example/cb',
      'client_id=a&redirect_uri=https://app.example/cb&response_type=token',
      'client_id=a&logout_uri=https://app.example/bye&lang=<script>',
    ]) expect(cognitoLogoutRequest(q(bad)), bad).toHaveProperty('error');
  });
});
