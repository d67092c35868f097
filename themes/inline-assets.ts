import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedTheme } from './schema';

const types: Record<string, string> = { '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.woff2': 'font/woff2' };

/**
 * A built-in theme's relative asset paths as `data:` URLs, so it renders before any config is
 * applied (tests, previews). Applied configs store assets instead and reference `asset:<sha256>`.
 */
export function inlineAssets(theme: ResolvedTheme, dir: string): ResolvedTheme {
  const inline = (ref: string) => {
    if (/^(data|asset):/.test(ref)) return ref;
    const type = types[path.extname(ref).toLowerCase()];
    if (!type) throw new Error(`no type for ${ref}`);
    return `data:${type};base64,${readFileSync(path.join(dir, ref)).toString('base64')}`;
  };
  return {
    ...theme,
    sideImage: theme.sideImage && inline(theme.sideImage),
    favicon: theme.favicon && inline(theme.favicon),
    logo: theme.logo && { ...theme.logo, light: inline(theme.logo.light), dark: theme.logo.dark && inline(theme.logo.dark) },
    background: theme.background.type === 'image' ? { ...theme.background, image: inline(theme.background.image) } : theme.background,
  };
}
