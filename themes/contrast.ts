/** WCAG 2.2 contrast: relative luminance of sRGB colours and the ratio between two of them. */
import type { PaletteName } from './schema';

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of `#rrggbb` (0 black … 1 white). */
export function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

/** The contrast ratio of two `#rrggbb` colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The colour pairs a screen draws, with WCAG 2.2 AA's minimum: 4.5 for text, 3 for non-text (the
 * focus ring). Here, not in the pool, so the console's live meter checks the very pairs the
 * pool's guard refuses.
 */
export const contrastPairs = [
  { fg: 'text', bg: 'background', min: 4.5 },
  { fg: 'text', bg: 'surface', min: 4.5 },
  { fg: 'brandText', bg: 'brand', min: 4.5 },
  { fg: 'link', bg: 'background', min: 4.5 },
  { fg: 'link', bg: 'surface', min: 4.5 },
  { fg: 'focus', bg: 'background', min: 3 },
] as const satisfies readonly { fg: PaletteName; bg: PaletteName; min: number }[];

/** A ratio as shown: rounded down to two decimals, so 4.499 never reads as passing 4.5. */
export const shownRatio = (ratio: number) => (Math.floor(ratio * 100) / 100).toFixed(2);
