/**
 * Cognito's error answers: `{"__type": "<Name>", "message": "…"}` with status 400 (the AWS JSON
 * protocol's client errors), English protocol text as Cognito's. Names are Cognito's documented
 * exceptions, plus the protocol's own `SerializationException` for a body that is not JSON.
 */
export type CognitoErrorName =
  | 'NotAuthorizedException'
  | 'InvalidParameterException'
  | 'ResourceNotFoundException'
  | 'UnsupportedOperationException'
  | 'UnsupportedTokenTypeException'
  | 'SerializationException'
  | 'InternalErrorException';

export class CognitoError extends Error {
  constructor(
    readonly type: CognitoErrorName,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const notAuthorized = (message: string) => new CognitoError('NotAuthorizedException', message);
export const invalidParameter = (message: string) => new CognitoError('InvalidParameterException', message);
