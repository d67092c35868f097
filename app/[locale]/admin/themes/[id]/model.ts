import type { ConsoleT } from '@/i18n/console';
import { contrastPairs } from '@/themes/contrast';
import { builtInFonts, paletteNames, type ResolvedTheme, type ThemeInput } from '@/themes/schema';
import type { FieldModel, FormModel } from './form-model';
import { colourField, formatLinks, linkKinds, schemes } from './theme-form';

const IMAGES = 'image/png,image/jpeg,image/webp,image/svg+xml';
/** A stored asset as the form names it: short, the hash is what matters. */
const short = (ref: string) => (ref.startsWith('asset:') ? `${ref.slice(0, 18)}…` : ref.slice(0, 24));

/**
 * The field form of a draft: every field of the theme schema, grouped, translated, with the
 * draft's own values (empty where it inherits) and what it inherits from `parent`.
 */
export function themeFormModel(t: ConsoleT, draft: ThemeInput, parent: ResolvedTheme, otherThemes: string[]): FormModel {
  const f = (key: string) => t(`themes.form.${key}` as never);
  const inherit = { value: '', label: f('inherit') };
  const colour = (name: string, label: string, value: string | undefined, inherited: string): FieldModel => ({
    kind: 'color',
    name,
    label,
    value: value ?? '',
    inherited,
    hint: t('themes.form.colourHint', { value: inherited }),
    pickLabel: t('themes.form.pick', { colour: label }),
  });
  const upload = (name: string, label: string, ref: string | null | undefined, remove?: string, accept = IMAGES): FieldModel => ({
    kind: 'file',
    name,
    label,
    accept,
    current: ref ? t('themes.form.current', { ref: short(ref) }) : undefined,
    remove: ref && remove ? { name: remove, label: t('themes.form.remove', { what: label }) } : undefined,
  });
  const font = draft.font ? ('family' in draft.font ? draft.font.family : 'upload') : '';
  const bg = draft.background;
  const pairLabel = (fg: string, bgName: string) => t('themes.form.pairOn', { fg: f(`palette.${fg}`), bg: f(`palette.${bgName}`) });
  const gradient = bg?.type === 'gradient' ? bg : undefined;
  const parentGradient = parent.background.type === 'gradient' ? parent.background : undefined;
  return {
    groups: [
      {
        legend: f('general'),
        fields: [
          { kind: 'text', name: 'name', label: f('name'), value: draft.name, required: true, dir: 'auto' },
          { kind: 'select', name: 'extends', label: f('extends'), value: draft.extends ?? '', options: [{ value: '', label: f('extendsDefault') }, ...otherThemes.filter((id) => id !== draft.id && id !== 'default').map((id) => ({ value: id, label: id }))] },
          {
            kind: 'select',
            name: 'mode',
            label: f('mode'),
            value: draft.mode ?? '',
            options: [inherit, { value: 'auto', label: f('modeAuto') }, { value: 'light', label: f('modeLight') }, { value: 'dark', label: f('modeDark') }],
          },
        ],
      },
      ...schemes.map((s, i) => ({
        legend: f(s === 'light' ? 'colorsLight' : 'colorsDark'),
        fields: paletteNames.map((n) => colour(colourField(s, n), f(`palette.${n}`), draft.colors?.[s]?.[n], parent.colors[s][n])),
        contrast: i === schemes.length - 1,
      })),
      {
        legend: f('shape'),
        fields: [
          { kind: 'select', name: 'font', label: f('font'), value: font, options: [inherit, ...builtInFonts.map((b) => ({ value: b, label: b })), { value: 'upload', label: f('fontUpload') }] },
          upload('fontFile', f('fontFile'), draft.font && 'upload' in draft.font ? draft.font.upload : undefined, undefined, '.woff2,font/woff2'),
          { kind: 'text', name: 'fontName', label: f('fontName'), value: draft.font && 'name' in draft.font ? draft.font.name : '', dir: 'ltr' },
          { kind: 'number', name: 'radius', label: f('radius'), value: draft.radius?.toString() ?? '', min: 0, max: 32 },
          { kind: 'select', name: 'density', label: f('density'), value: draft.density ?? '', options: [inherit, { value: 'compact', label: f('compact') }, { value: 'comfortable', label: f('comfortable') }] },
          { kind: 'select', name: 'layout', label: f('layout'), value: draft.layout ?? '', options: [inherit, ...(['card', 'split', 'full'] as const).map((l) => ({ value: l, label: f(l) }))] },
        ],
      },
      {
        legend: f('backgroundLegend'),
        fields: [
          { kind: 'select', name: 'bg', label: f('bg'), value: bg?.type ?? '', options: [inherit, { value: 'color', label: f('bgColor') }, { value: 'gradient', label: f('bgGradient') }, { value: 'image', label: f('bgImage') }] },
          colour('bgFrom', f('bgFrom'), gradient?.from, parentGradient?.from ?? parent.colors.light.background),
          colour('bgTo', f('bgTo'), gradient?.to, parentGradient?.to ?? parent.colors.light.surface),
          { kind: 'number', name: 'bgAngle', label: f('bgAngle'), value: gradient?.angle.toString() ?? '', min: 0, max: 360 },
          upload('bgImage', f('bgImageFile'), bg?.type === 'image' ? bg.image : undefined),
          upload('sideImage', f('sideImage'), draft.sideImage, 'sideImageRemove'),
        ],
      },
      {
        legend: f('brandLegend'),
        fields: [
          upload('logoLight', f('logoLight'), draft.logo?.light, 'logoRemove'),
          upload('logoDark', f('logoDark'), draft.logo?.dark, 'logoDarkRemove'),
          { kind: 'text', name: 'logoAlt', label: f('logoAlt'), value: draft.logo?.alt ?? '', dir: 'auto' },
          { kind: 'number', name: 'logoHeight', label: f('logoHeight'), value: draft.logo?.height.toString() ?? '', min: 16, max: 120 },
          upload('favicon', f('favicon'), draft.favicon, 'faviconRemove'),
        ],
      },
      {
        legend: f('linksLegend'),
        fields: [
          ...linkKinds.map((k): FieldModel => ({ kind: 'textarea', name: `links-${k}`, label: f(k), value: formatLinks(draft.links?.[k]), hint: f('linksHint'), rows: 2, dir: 'ltr' })),
          { kind: 'select', name: 'poweredBy', label: f('poweredBy'), value: draft.showPoweredBy === undefined ? '' : draft.showPoweredBy ? 'yes' : 'no', options: [inherit, { value: 'yes', label: f('show') }, { value: 'no', label: f('hide') }] },
        ],
      },
      {
        legend: f('imagesLegend'),
        fields: [
          ...Object.entries(draft.images ?? {}).map(([name, ref]): FieldModel => ({ kind: 'checkbox', name: `imageRemove-${name}`, label: `${t('themes.form.remove', { what: t('themes.form.imageUse', { name }) })} (${short(ref)})`, checked: false })),
          { kind: 'text', name: 'newImageName', label: f('newImageName'), value: '', dir: 'ltr' },
          upload('newImage', f('newImage'), undefined),
        ],
      },
      {
        legend: f('cssLegend'),
        fields: [
          { kind: 'textarea', name: 'css', label: f('css'), value: draft.css ?? '', hint: f('cssHint'), rows: 10, dir: 'ltr' },
          { kind: 'checkbox', name: 'allowLowContrast', label: f('allowLowContrast'), checked: draft.allowLowContrast === true },
        ],
      },
    ],
    inherited: parent.colors,
    contrast: {
      heading: f('contrastHeading'),
      explain: f('contrastExplain'),
      scheme: f('contrastScheme'),
      pair: f('contrastPair'),
      ratio: f('contrastRatio'),
      needs: f('contrastNeeds'),
      result: f('contrastResult'),
      pass: f('contrastPass'),
      fail: f('contrastFail'),
      schemes: { light: t('themes.light'), dark: t('themes.dark') },
      pairs: Object.fromEntries(contrastPairs.map(({ fg, bg: b }) => [`${fg}/${b}`, pairLabel(fg, b)])),
    },
    save: f('save'),
  };
}
