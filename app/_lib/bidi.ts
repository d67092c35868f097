/**
 * Text that reads left to right whatever the sentence around it (an e-mail address, a phone
 * number, a code), isolated with U+2066 … U+2069: in a right-to-left sentence the bidi algorithm
 * would otherwise move its digits and punctuation (`1•••@example.test` shown as `example.test@1•••`).
 */
export const leftToRight = (text: string): string => `\u2066${text}\u2069`;
