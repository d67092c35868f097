import { createHash } from 'node:crypto';
import { imageSize } from 'image-size';
import { sanitiseSvg, SvgError } from './svg';

/** What a theme may carry: raster and SVG images, and woff2 fonts; the type read from the bytes. */
export const assetMimes = ['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml', 'font/woff2'] as const;
export type AssetMime = (typeof assetMimes)[number];

export const extensionOf: Record<AssetMime, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'font/woff2': 'woff2',
};

export const ASSET_LIMITS = {
  imageBytes: 1024 * 1024,
  svgBytes: 256 * 1024,
  fontBytes: 1024 * 1024,
  /** Pixels per side of a raster image. */
  pixels: 4096,
} as const;

export type AssetKind = 'image' | 'font';

export interface CheckedAsset {
  sha256: string;
  mime: AssetMime;
  bytes: Buffer;
}

/** Why an upload is refused, for a translated message (the console's); `params` fill it in. */
export type AssetProblem = 'unknown_type' | 'not_font' | 'font_not_image' | 'too_large' | 'bad_svg' | 'unreadable' | 'too_many_pixels';

export class AssetError extends Error {
  constructor(
    message: string,
    readonly code: AssetProblem,
    readonly params: Record<string, number> = {},
  ) {
    super(message);
  }
}

function startsWith(bytes: Buffer, at: number, magic: number[] | string): boolean {
  const m = typeof magic === 'string' ? Buffer.from(magic, 'latin1') : Buffer.from(magic);
  return bytes.length >= at + m.length && bytes.subarray(at, at + m.length).equals(m);
}

/** The type by magic bytes (never the file name or a data: URL's claim); SVG is text starting with markup. */
function sniff(bytes: Buffer): AssetMime | undefined {
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, 0, 'RIFF') && startsWith(bytes, 8, 'WEBP')) return 'image/webp';
  if (startsWith(bytes, 0, 'wOF2')) return 'font/woff2';
  const head = bytes.subarray(0, 512).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('<')) return 'image/svg+xml';
  return undefined;
}

/**
 * Checks an uploaded image or font: its real type, byte size and (raster) pixel size; an SVG
 * comes back sanitised, so what is stored and hashed is the clean one.
 */
export function checkAsset(input: Buffer, kind: AssetKind): CheckedAsset {
  const mime = sniff(input);
  if (!mime) throw new AssetError('is not a PNG, JPEG, WebP or SVG image nor a woff2 font', 'unknown_type');
  if (kind === 'font' && mime !== 'font/woff2') throw new AssetError('is not a woff2 font', 'not_font');
  if (kind === 'image' && mime === 'font/woff2') throw new AssetError('is a font where an image is expected', 'font_not_image');
  let bytes = input;
  if (mime === 'font/woff2' && bytes.length > ASSET_LIMITS.fontBytes) throw new AssetError(`is over ${ASSET_LIMITS.fontBytes / 1024} KB`, 'too_large', { kb: ASSET_LIMITS.fontBytes / 1024 });
  if (mime === 'image/svg+xml') {
    if (bytes.length > ASSET_LIMITS.svgBytes) throw new AssetError(`is over ${ASSET_LIMITS.svgBytes / 1024} KB`, 'too_large', { kb: ASSET_LIMITS.svgBytes / 1024 });
    try {
      bytes = Buffer.from(sanitiseSvg(bytes.toString('utf8')));
    } catch (e) {
      throw new AssetError(e instanceof SvgError ? e.message : 'is not a readable SVG image', 'bad_svg');
    }
  } else if (mime !== 'font/woff2') {
    if (bytes.length > ASSET_LIMITS.imageBytes) throw new AssetError(`is over ${ASSET_LIMITS.imageBytes / 1024} KB`, 'too_large', { kb: ASSET_LIMITS.imageBytes / 1024 });
    let size: { width?: number; height?: number };
    try {
      size = imageSize(bytes);
    } catch {
      throw new AssetError('has an unreadable image header', 'unreadable');
    }
    if (!size.width || !size.height) throw new AssetError('has no pixel size in its header', 'unreadable');
    if (size.width > ASSET_LIMITS.pixels || size.height > ASSET_LIMITS.pixels) {
      throw new AssetError(`is ${size.width}×${size.height} pixels, over ${ASSET_LIMITS.pixels} per side`, 'too_many_pixels', { width: size.width, height: size.height, max: ASSET_LIMITS.pixels });
    }
  }
  return { sha256: createHash('sha256').update(bytes).digest('hex'), mime, bytes };
}

/** The bytes of a `data:…;base64,` URL (its declared type is not believed). */
export function dataUrlBytes(url: string): Buffer {
  const comma = url.indexOf(',');
  return Buffer.from(url.slice(comma + 1).replace(/\s+/g, ''), 'base64');
}

export const ASSET_PATH_PREFIX = '/assets/t/';
export const assetPath = (sha256: string, mime: AssetMime) => `${ASSET_PATH_PREFIX}${sha256}.${extensionOf[mime]}`;

/** An upload checked as a theme's would be (the console's early, translated refusal; the API checks again). */
export function uploadProblem(bytes: Buffer, kind: AssetKind): { code: AssetProblem; params: Record<string, number> } | undefined {
  try {
    checkAsset(bytes, kind);
    return undefined;
  } catch (e) {
    if (e instanceof AssetError) return { code: e.code, params: e.params };
    throw e;
  }
}
