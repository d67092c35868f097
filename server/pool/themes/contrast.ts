import { contrastPairs as pairs, contrastRatio } from '../../../themes/contrast';
import type { Palette, ResolvedTheme } from '../../../themes/schema';

// One formula for the guard and the built-in themes' tests.
export { contrastRatio } from '../../../themes/contrast';

export interface ContrastProblem {
  mode: 'light' | 'dark';
  pair: `${keyof Palette}/${keyof Palette}`;
  ratio: number;
  min: number;
}

/** The pairs below AA, in the modes the theme shows (`mode: light` never shows its dark palette). */
export function contrastProblems(theme: Pick<ResolvedTheme, 'colors' | 'mode'>): ContrastProblem[] {
  const modes = theme.mode === 'auto' ? (['light', 'dark'] as const) : [theme.mode];
  return modes.flatMap((mode) =>
    pairs.flatMap(({ fg, bg, min }) => {
      const ratio = contrastRatio(theme.colors[mode][fg], theme.colors[mode][bg]);
      return ratio < min ? [{ mode, pair: `${fg}/${bg}` as const, ratio: Math.floor(ratio * 100) / 100, min }] : [];
    }),
  );
}

export function describeContrast(p: ContrastProblem): string {
  return `${p.mode} ${p.pair} contrast is ${p.ratio.toFixed(2)}:1, below WCAG 2.2 AA's ${p.min}:1`;
}
