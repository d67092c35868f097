import { describe, expect, it } from 'vitest';
import { builtInTheme } from '../../../themes/css';
import { contrastProblems, contrastRatio, describeContrast } from './contrast';

describe('contrast guard', () => {
  it('computes WCAG ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
  });

  it('passes the built-in default in light and dark', () => {
    expect(contrastProblems(builtInTheme)).toEqual([]);
  });

  it('names the pair, mode and ratio of a low-contrast palette', () => {
    const colors = { ...builtInTheme.colors, dark: { ...builtInTheme.colors.dark, brand: '#8ab4f8', brandText: '#ffffff', focus: '#15181c' } };
    const problems = contrastProblems({ mode: 'auto', colors });
    expect(problems.map((p) => [p.mode, `${p.fg}/${p.bg}`, p.min])).toEqual([
      ['dark', 'brandText/brand', 4.5],
      ['dark', 'focus/background', 3],
    ]);
    expect(describeContrast(problems[0])).toMatch(/^dark brandText\/brand contrast is 2\.\d\d:1, below WCAG 2\.2 AA's 4\.5:1$/);
  });

  it('checks only the palette a fixed mode shows', () => {
    const colors = { ...builtInTheme.colors, dark: { ...builtInTheme.colors.dark, text: '#101215' } };
    expect(contrastProblems({ mode: 'light', colors })).toEqual([]);
    expect(contrastProblems({ mode: 'dark', colors }).map((p) => `${p.fg}/${p.bg}`)).toEqual(['text/background', 'text/surface']);
  });
});
