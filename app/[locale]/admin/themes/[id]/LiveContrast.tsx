'use client';

import { useEffect, useRef, useState } from 'react';
import { contrastPairs, contrastRatio, shownRatio } from '@/themes/contrast';
import { paletteNames, type Palette } from '@/themes/schema';
import type { ContrastLabels } from './form-model';
import { colourField, isHex, schemes, type Scheme } from './theme-form';

type Palettes = Record<Scheme, Palette>;

/** The palettes a form holds: each colour's text field when it is a colour, else the inherited one. */
export function palettesOf(read: (name: string) => string | undefined, inherited: Palettes): Palettes {
  const of = (s: Scheme) => Object.fromEntries(paletteNames.map((n) => [n, ((v) => (v && isHex(v) ? v : inherited[s][n]))(read(colourField(s, n)))])) as Palette;
  return { light: of('light'), dark: of('dark') };
}

/**
 * The WCAG ratio of each pair the screens draw, recomputed as the pickers move (with the pool's
 * own pairs and formula, themes/contrast.ts). It also keeps each colour's picker and text field
 * in step. Without JavaScript the server computed `initial` from the draft it rendered.
 */
export function LiveContrast({ initial, inherited, labels }: { initial: Palettes; inherited: Palettes; labels: ContrastLabels }) {
  const [palettes, setPalettes] = useState(initial);
  // Set once the form is listened to: before that (JavaScript loading), the server's ratios stand.
  const [live, setLive] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const form = root.current?.closest('form');
    if (!form) return;
    const input = (name: string) => form.elements.namedItem(name) as HTMLInputElement | null;
    const onInput = (e: Event) => {
      const el = e.target as HTMLInputElement;
      // A picker writes its text field; a colour typed in the text field moves its picker.
      if (el.name.endsWith('-pick')) {
        const text = input(el.name.slice(0, -'-pick'.length));
        if (text) text.value = el.value;
      } else if (isHex(el.value)) {
        const pick = input(`${el.name}-pick`);
        if (pick) pick.value = el.value.toLowerCase();
      }
      setPalettes(palettesOf((name) => input(name)?.value.trim(), inherited));
    };
    form.addEventListener('input', onInput);
    setLive(true);
    return () => form.removeEventListener('input', onInput);
  }, [inherited]);
  const cell = 'px-2 py-1 border-b border-line text-start';
  return (
    <div ref={root} id="contrast" tabIndex={-1} className="mt-4" data-testid="contrast" data-live={live ? 'on' : undefined}>
      <h3 className="font-medium mb-1">{labels.heading}</h3>
      <p className="text-sm text-muted mb-2">{labels.explain}</p>
      <div className="overflow-x-auto">
        <table className="text-sm">
          <thead>
            <tr>
              <th scope="col" className={cell}>{labels.scheme}</th>
              <th scope="col" className={cell}>{labels.pair}</th>
              <th scope="col" className={cell}>{labels.ratio}</th>
              <th scope="col" className={cell}>{labels.needs}</th>
              <th scope="col" className={cell}>{labels.result}</th>
            </tr>
          </thead>
          <tbody>
            {schemes.flatMap((s) =>
              contrastPairs.map(({ fg, bg, min }) => {
                const ratio = contrastRatio(palettes[s][fg], palettes[s][bg]);
                const ok = ratio >= min;
                return (
                  <tr key={`${s}-${fg}-${bg}`} data-testid={`contrast-${s}-${fg}-${bg}`}>
                    <td className={cell}>{labels.schemes[s]}</td>
                    <td className={cell}>{labels.pairs[`${fg}/${bg}`]}</td>
                    <td className={cell}>
                      <output data-testid="ratio" dir="ltr">{shownRatio(ratio)}:1</output>
                    </td>
                    <td className={cell} dir="ltr">{min}:1</td>
                    <td className={`${cell} ${ok ? '' : 'text-danger font-semibold'}`}>{ok ? labels.pass : labels.fail}</td>
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
