import * as csstree from 'css-tree';
import { hooks, LOGIN_ROOT_CLASS } from '../../../themes/hooks';

/**
 * Custom CSS, parsed (css-tree), checked against allowlists and scoped under the login root.
 * Nothing is matched by regular expression on the source: every decision is on the parse tree.
 */

export const CUSTOM_CSS_MAX_BYTES = 64 * 1024;

/** Why a piece of CSS is refused, as a code the console words (`name`: the CSS it is about). */
export type CssReason =
  | 'outside_root' | 'pseudo_class' | 'pseudo_element' | 'not_hook' | 'nesting' | 'no_hook' | 'image_unknown' | 'url_refused'
  | 'asset_unknown' | 'not_font' | 'font_only' | 'expression' | 'function' | 'javascript' | 'not_declaration' | 'runs_code'
  | 'property' | 'media_type' | 'media_feature' | 'media_query' | 'selector_parse' | 'font_face_src' | 'import' | 'at_rule'
  | 'not_css' | 'too_large' | 'syntax';

export interface CssProblem {
  line: number;
  /** The rule's CSS (quoted), or English words where there is none (`syntax`, `the stylesheet`). */
  rule: string;
  /** English, for the API's detail and logs. */
  reason: string;
  code: CssReason;
  name?: string;
}

/** One problem as the API and logs say it: `line <n>, <rule>: <reason>` (the console reads the line back). */
export const describeCssProblem = (p: CssProblem) => `line ${p.line}, ${p.rule}: ${p.reason}`;

export class CustomCssError extends Error {
  constructor(readonly problems: CssProblem[]) {
    super(problems.map(describeCssProblem).join('; '));
    this.name = 'CustomCssError';
  }
}

/** What the CSS may reference: uploaded assets by sha256 (their URL), which of them are fonts, the theme's named images. */
export interface CssAssets {
  url(sha256: string): string | undefined;
  isFont(sha256: string): boolean;
  /** The sha256 of the theme's image `name` (`url(image:<name>)`), if it has one. */
  image?(name: string): string | undefined;
}

const hookSet: ReadonlySet<string> = new Set(hooks);

const pseudoClasses = new Set([
  'hover', 'focus', 'focus-visible', 'focus-within', 'active', 'visited', 'disabled', 'enabled', 'checked',
  'invalid', 'valid', 'required', 'optional', 'placeholder-shown', 'first-child', 'last-child', 'only-child',
  'nth-child', 'nth-last-child', 'first-of-type', 'last-of-type', 'nth-of-type', 'empty', 'not', 'is', 'where',
]);
const pseudoElements = new Set(['before', 'after', 'placeholder', 'selection', 'marker', 'first-line', 'first-letter']);
/** Selectors that reach outside the login root. */
const escaping = new Set(['html', 'body', 'head', 'root', 'host', 'scope']);

const properties = new Set(
  `color opacity visibility display box-sizing
  background background-color background-image background-position background-position-x background-position-y background-size background-repeat background-attachment background-clip background-origin background-blend-mode
  border border-color border-style border-width border-radius border-top border-right border-bottom border-left border-inline border-block border-inline-start border-inline-end border-block-start border-block-end
  border-top-color border-right-color border-bottom-color border-left-color border-top-style border-right-style border-bottom-style border-left-style border-top-width border-right-width border-bottom-width border-left-width
  border-top-left-radius border-top-right-radius border-bottom-left-radius border-bottom-right-radius border-start-start-radius border-start-end-radius border-end-start-radius border-end-end-radius
  outline outline-color outline-style outline-width outline-offset box-shadow text-shadow filter backdrop-filter mix-blend-mode
  margin margin-top margin-right margin-bottom margin-left margin-inline margin-block margin-inline-start margin-inline-end margin-block-start margin-block-end
  padding padding-top padding-right padding-bottom padding-left padding-inline padding-block padding-inline-start padding-inline-end padding-block-start padding-block-end
  width min-width max-width height min-height max-height inline-size min-inline-size max-inline-size block-size min-block-size max-block-size aspect-ratio object-fit object-position
  flex flex-direction flex-wrap flex-flow flex-grow flex-shrink flex-basis justify-content justify-items justify-self align-content align-items align-self place-content place-items place-self order gap row-gap column-gap
  grid grid-template grid-template-columns grid-template-rows grid-template-areas grid-area grid-column grid-row grid-auto-flow grid-auto-columns grid-auto-rows
  position top right bottom left inset inset-inline inset-block z-index overflow overflow-x overflow-y float clear
  font font-family font-size font-weight font-style font-variant font-stretch line-height letter-spacing word-spacing text-align text-decoration text-decoration-color text-decoration-line text-decoration-style text-decoration-thickness text-underline-offset text-transform text-indent text-overflow white-space word-break overflow-wrap hyphens direction unicode-bidi
  list-style list-style-type list-style-position cursor pointer-events user-select caret-color accent-color appearance content quotes
  transition transition-property transition-duration transition-timing-function transition-delay transform transform-origin translate rotate scale
  animation-duration animation-timing-function animation-delay`.split(/\s+/),
);
/** Properties that run code or bind behaviour in some browser: named in the refusal. */
const dangerous: Record<string, string> = {
  behavior: '"behavior" is refused: it runs code (HTC) in old browsers',
  '-moz-binding': '"-moz-binding" is refused: it binds code (XBL) in old browsers',
};
const functions = new Set([
  'rgb', 'rgba', 'hsl', 'hsla', 'hwb', 'lab', 'lch', 'oklab', 'oklch', 'color', 'color-mix', 'light-dark', 'var', 'calc', 'min', 'max', 'clamp',
  'linear-gradient', 'radial-gradient', 'conic-gradient', 'repeating-linear-gradient', 'repeating-radial-gradient', 'repeating-conic-gradient',
  'translate', 'translatex', 'translatey', 'rotate', 'scale', 'scalex', 'scaley', 'skew', 'skewx', 'skewy', 'matrix',
  'cubic-bezier', 'steps', 'blur', 'brightness', 'contrast', 'drop-shadow', 'grayscale', 'saturate', 'sepia', 'invert', 'hue-rotate',
  'repeat', 'minmax', 'fit-content', 'format', 'tech', 'attr',
]);
const fontFaceProperties = new Set(['font-family', 'src', 'font-weight', 'font-style', 'font-display', 'font-stretch', 'unicode-range']);
const mediaTypes = new Set(['screen', 'all']);
const mediaFeatures = new Set([
  'width', 'min-width', 'max-width', 'height', 'min-height', 'max-height', 'orientation', 'aspect-ratio', 'min-aspect-ratio', 'max-aspect-ratio',
  'prefers-color-scheme', 'prefers-reduced-motion', 'prefers-contrast', 'hover', 'pointer',
]);
const ASSET = /^asset:([0-9a-f]{64})$/;
const IMAGE = /^image:([a-z0-9][a-z0-9-]{0,31})$/;

type Problems = CssProblem[];

function lineOf(node: csstree.CssNode): number {
  return node.loc?.start.line ?? 1;
}

function checkSelector(list: csstree.SelectorList, problems: Problems, rule: string, line: number): void {
  list.children.forEach((sel) => {
    if (sel.type !== 'Selector') return;
    let hooked = false;
    sel.children.forEach((n) => {
      if (n.type === 'ClassSelector' && hookSet.has(n.name)) hooked = true;
    });
    csstree.walk(sel, (n) => {
      if (n.type === 'TypeSelector' && escaping.has(n.name.toLowerCase())) problems.push({ line, rule, reason: `"${n.name}" selects outside the login root`, code: 'outside_root', name: n.name });
      else if (n.type === 'PseudoClassSelector') {
        const name = n.name.toLowerCase();
        if (escaping.has(name)) problems.push({ line, rule, reason: `":${n.name}" selects outside the login root`, code: 'outside_root', name: `:${n.name}` });
        else if (!pseudoClasses.has(name)) problems.push({ line, rule, reason: `the pseudo-class ":${n.name}" is not allowed`, code: 'pseudo_class', name: `:${n.name}` });
      } else if (n.type === 'PseudoElementSelector' && !pseudoElements.has(n.name.toLowerCase())) problems.push({ line, rule, reason: `the pseudo-element "::${n.name}" is not allowed`, code: 'pseudo_element', name: `::${n.name}` });
      else if (n.type === 'ClassSelector' && !hookSet.has(n.name)) problems.push({ line, rule, reason: `".${n.name}" is not a documented hook (see themes/hooks.ts)`, code: 'not_hook', name: `.${n.name}` });
      else if (n.type === 'NestingSelector') problems.push({ line, rule, reason: 'nesting ("&") is not allowed', code: 'nesting' });
    });
    if (!hooked) problems.push({ line, rule, reason: `the selector "${csstree.generate(sel)}" names no documented hook, so it would reach outside the login root`, code: 'no_hook', name: csstree.generate(sel) });
  });
}

/** Checks a value's tree; rewrites `url(asset:<sha256>)` to the asset's URL. */
function checkValue(value: csstree.CssNode, assets: CssAssets, problems: Problems, rule: string, opts: { font: boolean }): void {
  csstree.walk(value, (n) => {
    const line = lineOf(n);
    if (n.type === 'Url') {
      const named = IMAGE.exec(n.value);
      const sha = named ? assets.image?.(named[1]) : ASSET.exec(n.value)?.[1];
      const url = sha ? assets.url(sha) : undefined;
      if (named && !sha) problems.push({ line, rule, reason: `url(${n.value}) names no image of the theme (add it to "images")`, code: 'image_unknown', name: `url(${n.value})` });
      else if (!sha) problems.push({ line, rule, reason: `url(${n.value}) is refused: only uploaded assets (url(asset:<sha256>)) and the theme's images (url(image:<name>)) may be referenced`, code: 'url_refused', name: `url(${n.value})` });
      else if (!url) problems.push({ line, rule, reason: `url(${n.value}) names no uploaded asset`, code: 'asset_unknown', name: `url(${n.value})` });
      else if (opts.font !== assets.isFont(sha)) problems.push({ line, rule, ...(opts.font ? { reason: `url(${n.value}) is not an uploaded woff2 font`, code: 'not_font' } : { reason: `url(${n.value}) is a font, usable in @font-face only`, code: 'font_only' }), name: `url(${n.value})` });
      else n.value = url;
    } else if (n.type === 'Function') {
      const name = n.name.toLowerCase();
      if (name === 'expression') problems.push({ line, rule, reason: 'expression() is refused: it runs script in old browsers', code: 'expression' });
      else if (!functions.has(name)) problems.push({ line, rule, reason: `the function ${n.name}() is not allowed`, code: 'function', name: `${n.name}()` });
    } else if ((n.type === 'Identifier' || n.type === 'String' || n.type === 'Raw') && ('name' in n ? n.name : n.value).toLowerCase().includes('javascript:')) {
      problems.push({ line, rule, reason: '"javascript:" is refused', code: 'javascript' });
    }
  });
}

function checkDeclarations(block: csstree.Block, assets: CssAssets, problems: Problems, rule: string, allowed: (p: string) => boolean, font: boolean): void {
  block.children.forEach((d) => {
    if (d.type !== 'Declaration') {
      problems.push({ line: lineOf(d), rule, reason: 'only declarations may appear in a rule', code: 'not_declaration' });
      return;
    }
    const property = d.property.toLowerCase();
    const line = lineOf(d);
    if (dangerous[property]) problems.push({ line, rule, reason: dangerous[property], code: 'runs_code', name: d.property });
    else if (property.startsWith('--') && !font) {
      // A custom property's value is raw text: parse it as a value so var() cannot smuggle a url().
      if (d.value.type === 'Raw') {
        const parsed = csstree.parse(d.value.value, { context: 'value', positions: true, line });
        checkValue(parsed, assets, problems, rule, { font: false });
        d.value = { type: 'Raw', value: csstree.generate(parsed) };
      }
    } else if (!allowed(property)) problems.push({ line, rule, reason: `the property "${d.property}" is not allowed`, code: 'property', name: d.property });
    else checkValue(d.value, assets, problems, rule, { font });
  });
}

function checkMedia(at: csstree.Atrule, problems: Problems, rule: string): void {
  if (!at.prelude) return;
  csstree.walk(at.prelude, (n) => {
    const line = lineOf(n);
    if (n.type === 'MediaQuery' && n.mediaType && !mediaTypes.has(n.mediaType.toLowerCase())) problems.push({ line, rule, reason: `the media type "${n.mediaType}" is not allowed (screen, all)`, code: 'media_type', name: n.mediaType });
    if (n.type === 'Feature' && !mediaFeatures.has(n.name.toLowerCase())) problems.push({ line, rule, reason: `the media feature "${n.name}" is not allowed`, code: 'media_feature', name: n.name });
    if (n.type === 'Raw' || n.type === 'Url' || n.type === 'Function') problems.push({ line, rule, reason: 'this media query is not allowed', code: 'media_query' });
  });
}

function scope(list: csstree.SelectorList): void {
  list.children.forEach((sel) => {
    if (sel.type !== 'Selector') return;
    sel.children.prependData({ type: 'Combinator', name: ' ' });
    sel.children.prependData({ type: 'ClassSelector', name: LOGIN_ROOT_CLASS });
  });
}

function checkRules(children: csstree.List<csstree.CssNode>, assets: CssAssets, problems: Problems, top: boolean): void {
  children.forEach((node) => {
    const line = lineOf(node);
    if (node.type === 'Rule') {
      const rule = node.prelude.type === 'SelectorList' ? `"${csstree.generate(node.prelude)}"` : 'a rule';
      if (node.prelude.type !== 'SelectorList') problems.push({ line, rule, reason: 'the selector does not parse', code: 'selector_parse' });
      else {
        checkSelector(node.prelude, problems, rule, line);
        scope(node.prelude);
      }
      checkDeclarations(node.block, assets, problems, rule, (p) => properties.has(p), false);
    } else if (node.type === 'Atrule') {
      const name = node.name.toLowerCase();
      const rule = `"@${node.name}"`;
      if (name === 'media') {
        checkMedia(node, problems, rule);
        if (node.block) checkRules(node.block.children, assets, problems, false);
      } else if (name === 'font-face' && top && node.block) {
        checkDeclarations(node.block, assets, problems, rule, (p) => fontFaceProperties.has(p), true);
        let src = false;
        node.block.children.forEach((d) => void (d.type === 'Declaration' && d.property.toLowerCase() === 'src' && (src = true)));
        if (!src) problems.push({ line, rule, reason: '@font-face needs a src: url(asset:<sha256>) of an uploaded woff2', code: 'font_face_src' });
      } else if (name === 'import') problems.push({ line, rule, reason: '@import is refused: only uploaded assets may be loaded', code: 'import' });
      else problems.push({ line, rule, reason: `@${node.name} is not allowed (only @media and @font-face)`, code: 'at_rule', name: `@${node.name}` });
    } else if (node.type === 'Raw') problems.push({ line, rule: 'text', reason: 'does not parse as CSS', code: 'not_css' });
  });
}

/** The CSS checked and scoped under `.foyer-root`, or a CustomCssError naming every problem. */
export function sanitiseCustomCss(css: string, assets: CssAssets): string {
  if (css.trim() === '') return '';
  if (Buffer.byteLength(css) > CUSTOM_CSS_MAX_BYTES) throw new CustomCssError([{ line: 1, rule: 'the stylesheet', reason: `is over ${CUSTOM_CSS_MAX_BYTES / 1024} KB`, code: 'too_large', name: String(CUSTOM_CSS_MAX_BYTES / 1024) }]);
  const problems: Problems = [];
  const ast = csstree.parse(css, {
    positions: true,
    parseCustomProperty: false,
    onParseError: (e) => problems.push({ line: (e as { line?: number }).line ?? 1, rule: 'syntax', reason: e.message, code: 'syntax' }),
  });
  if (ast.type !== 'StyleSheet') throw new CustomCssError([{ line: 1, rule: 'the stylesheet', reason: 'does not parse', code: 'not_css' }]);
  checkRules(ast.children, assets, problems, true);
  if (problems.length > 0) throw new CustomCssError(problems.sort((a, b) => a.line - b.line));
  return csstree.generate(ast);
}
