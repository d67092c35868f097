import type { Operation } from '../context';
import getTokensFromRefreshToken from './get-tokens-from-refresh-token';
import initiateAuth from './initiate-auth';
import revokeToken from './revoke-token';
import globalSignOut from './global-sign-out';
import getUser from './get-user';

/** The operations of Cognito's user-pool API that Foyer answers at `POST /`. */
export type CognitoOperation = 'GetTokensFromRefreshToken' | 'InitiateAuth' | 'RevokeToken' | 'GlobalSignOut' | 'GetUser';

export const operations: Record<CognitoOperation, Operation> = {
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  InitiateAuth: initiateAuth,
  RevokeToken: revokeToken,
  GlobalSignOut: globalSignOut,
  GetUser: getUser,
};

export const isOperation = (name: string): name is CognitoOperation => Object.hasOwn(operations, name);
