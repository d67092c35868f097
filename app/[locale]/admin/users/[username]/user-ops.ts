/** The user operations a console form may ask for: the admin API's route, and the notice shown after. */
export const userOps = {
  disable: { method: 'POST', sub: '/disable', notice: 'disabled' },
  enable: { method: 'POST', sub: '/enable', notice: 'enabled' },
  'sign-out': { method: 'POST', sub: '/sign-out', notice: 'signed_out' },
  'reset-password': { method: 'POST', sub: '/reset-password', notice: 'password_reset' },
  'reset-mfa': { method: 'POST', sub: '/reset-mfa', notice: 'mfa_reset' },
  invite: { method: 'POST', sub: '/invite', notice: 'invited' },
  delete: { method: 'DELETE', sub: '', notice: 'deleted' },
} as const;
export type UserOp = keyof typeof userOps;
export const isUserOp = (s: string | undefined): s is UserOp => s !== undefined && Object.hasOwn(userOps, s);
