import { cache } from 'react';
import { readInteraction } from '@/server/oidc';
import { runtime } from '@/server/runtime-handle';
import { requestInfo } from './request';

/**
 * The sign-in interaction `uid` names, bound to this browser; read once per request however many
 * parts of a page ask (the flow page's loader and the theme both do).
 */
export const interactionOf = cache(async (uid: string) => readInteraction((await runtime()).provider, (await requestInfo()).headers, uid));
