import { cache } from 'react';
import { readInteraction } from '@/server/oidc';
import { runtime } from '@/server/runtime-handle';
import { requestInfo } from './request';

/**
 * The sign-in interaction `uid` names, bound to this browser; read once per request however many
 * parts of a page ask (the flow page's loader and the theme both do). For pages: an action reads
 * its own, as it may change the interaction before the page renders again in the same request.
 */
export const interactionOf = cache(async (uid: string) => readInteraction((await runtime()).provider, (await requestInfo()).headers, uid));
