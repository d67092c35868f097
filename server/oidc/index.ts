export { createProvider, localeOf } from './provider';
export { userinfoHandler } from './userinfo';
export { introspectionHandler } from './introspection';
export { signingKeys, rotateSigningKey, listSigningKeys, type SigningKeyStatus } from './keys';
export { startLiveProvider, type LiveProvider } from './live-provider';
export { sweepExpired } from './adapter';
export { providerRevocation } from './revocation';
export { readInteraction, finishLogin, finishConsent, abortInteraction, type InteractionView } from './interaction';
export { frameAncestorsFor } from './framing';
