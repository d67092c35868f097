/** Every failure the pool reports to a screen; each code has a message under `errors.` in messages/. */
export type PoolErrorCode =
  | 'invalid_credentials'
  | 'locked_out'
  | 'rate_limited'
  | 'user_exists'
  | 'invalid_code'
  | 'expired_code'
  | 'too_many_attempts'
  | 'password_too_short'
  | 'password_too_long'
  | 'password_common'
  | 'password_contains_username'
  | 'invalid_username'
  | 'username_looks_like_alias'
  | 'email_taken'
  | 'phone_taken'
  | 'mfa_unavailable'
  | 'passkey_failed'
  | 'passkey_not_verified'
  | 'passkey_exists'
  | 'passkey_not_found'
  | 'passkey_unavailable'
  | 'invalid_email'
  | 'invalid_phone'
  | 'invalid_characters'
  | 'too_long'
  | 'too_short'
  | 'not_a_number'
  | 'number_too_small'
  | 'number_too_large'
  | 'invalid_date_time'
  | 'terms_required'
  | 'required'
  | 'invalid_input'
  | 'sign_up_disabled'
  | 'user_disabled'
  | 'no_destination'
  | 'session_expired'
  | 'wrong_step'
  | 'wrong_password'
  | 'password_unchanged'
  | 'email_unchanged'
  | 'setup_expired'
  | 'last_factor'
  | 'not_found'
  | 'link_invalid'
  | 'invitation_invalid'
  | 'csrf';

export interface PoolError {
  error: PoolErrorCode;
  params?: Record<string, string | number>;
  field?: string;
  retryAfter?: number;
}

export function fail(error: PoolErrorCode, extra: Omit<PoolError, 'error'> = {}): PoolError {
  return { error, ...extra };
}
