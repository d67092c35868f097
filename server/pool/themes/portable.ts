import type { Kysely } from 'kysely';
import type { ThemeInput } from '../../../themes/schema';
import type { Database } from '../../db/schema';
import { cssAssetRefs, mapAssets, STORED_ASSET } from './prepare';
import { findAsset } from './store';

/**
 * A stored theme that applies to any database, an empty one on another machine too: every
 * `asset:<sha256>` it names becomes a `data:` URL of the asset's bytes. An asset its CSS names by
 * hash (`url(asset:…)`) comes along as one of its `images`, which applying stores under the same
 * hash before the CSS is checked. (The pool config's export, and a theme's or draft's export.)
 */
export async function portableTheme(db: Kysely<Database>, theme: ThemeInput): Promise<ThemeInput> {
  const inline = async (ref: string) => {
    const sha = STORED_ASSET.exec(ref)?.[1];
    const asset = sha ? await findAsset(db, sha) : undefined;
    return asset ? `data:${asset.mime};base64,${asset.bytes.toString('base64')}` : ref;
  };
  const out = await mapAssets(theme, inline);
  const named = new Set(Object.values(theme.images ?? {}));
  const fromCss = cssAssetRefs(theme.css ?? '').filter((sha) => !named.has(`asset:${sha}`));
  if (fromCss.length === 0) return out;
  const images = { ...out.images };
  for (const sha of fromCss) images[`css-${sha.slice(0, 24)}`] = await inline(`asset:${sha}`);
  return { ...out, images };
}
