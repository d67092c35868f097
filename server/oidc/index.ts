export { createProvider, localeOf } from './provider';
export { userinfoHandler } from './userinfo';
export { signingKeys } from './keys';
export { sweepExpired } from './adapter';
export { readInteraction, finishLogin, finishConsent, abortInteraction, type InteractionView } from './interaction';
