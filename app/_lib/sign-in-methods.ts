import type { SignInMethod } from '@/server/pool';
import { ourCookies } from './cookies';

const YEAR = 365 * 24 * 60 * 60;

/** The methods typed into the sign-in screen's form (a passkey is its own button, with JavaScript). */
export type FormMethod = Exclude<SignInMethod, 'passkey'>;
export function formMethods(allowed: readonly SignInMethod[]): FormMethod[] {
  return allowed.filter((m): m is FormMethod => m !== 'passkey');
}

/** The method to show: the one asked for by the URL, else the one last used in this browser, else the pool's first. */
export async function chosenMethod(allowed: readonly SignInMethod[], asked: string | undefined): Promise<FormMethod | undefined> {
  const offered = formMethods(allowed);
  const last = (await ourCookies()).get('lastMethod');
  return offered.find((m) => m === asked) ?? offered.find((m) => m === last) ?? offered[0];
}

/** Remembers the method that just proved the first factor, for this browser's next sign-in. */
export async function rememberMethod(method: string): Promise<void> {
  (await ourCookies()).set('lastMethod', method, YEAR);
}
