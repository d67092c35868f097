import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';

/**
 * SVG sanitised with DOMPurify (its SVG profile) on a jsdom window: scripts, event handlers and
 * `foreignObject` go; so does every reference outside the image itself (href / xlink:href other
 * than `#id`, `url(...)` other than `url(#id)` in attributes). The result is serialised as XML.
 */
const window = new JSDOM('').window;
const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);

/** Whether every `url(` in an attribute value points inside the document (`url(#id)`). */
function onlyLocalUrls(value: string): boolean {
  const lower = value.toLowerCase();
  for (let i = lower.indexOf('url('); i !== -1; i = lower.indexOf('url(', i + 4)) {
    let j = i + 4;
    while (lower[j] === ' ' || lower[j] === '"' || lower[j] === "'") j++;
    if (lower[j] !== '#') return false;
  }
  return true;
}

purify.addHook('afterSanitizeAttributes', (node) => {
  for (const attr of [...node.attributes]) {
    const name = attr.name.toLowerCase();
    const external = (name === 'href' || name === 'xlink:href') && !attr.value.startsWith('#');
    if (external || !onlyLocalUrls(attr.value)) node.removeAttribute(attr.name);
  }
});

export class SvgError extends Error {}

export function sanitiseSvg(source: string): string {
  const fragment = purify.sanitize(source, {
    USE_PROFILES: { svg: true, svgFilters: true },
    FORBID_TAGS: ['foreignObject', 'style', 'script'],
    RETURN_DOM_FRAGMENT: true,
  });
  const svg = [...fragment.childNodes].find((n) => n.nodeType === 1) as Element | undefined;
  if (!svg || svg.localName !== 'svg') throw new SvgError('is not an SVG image (no <svg> root element)');
  return new window.XMLSerializer().serializeToString(svg);
}
