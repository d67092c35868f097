/** Longest override, in characters (the longest catalogue message is under 600). */
export const MAX_TEXT_LENGTH = 2000;
/** Overrides per locale: at most one per catalogue key. */
export const MAX_PER_LOCALE = 1000;
