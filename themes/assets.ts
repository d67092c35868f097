/**
 * Where a browser fetches a theme's image or font. A stored asset (`asset:<sha256>`) is served by
 * Foyer; a `data:` URL is used as it is; a path relative to the config file has no URL until the
 * config is applied (it is stored then), so callers leave the element out.
 */
export function assetUrl(ref: string): string | null {
  if (ref.startsWith('asset:')) return `/assets/t/${ref.slice('asset:'.length)}`;
  if (ref.startsWith('data:')) return ref.replace(/\s+/g, '');
  return null;
}
