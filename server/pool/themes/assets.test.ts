import { describe, expect, it } from 'vitest';
import { ASSET_LIMITS, AssetError, checkAsset, dataUrlBytes, uploadProblem } from './assets';

/** A PNG's signature and IHDR chunk: what a header reader looks at. */
function png(width: number, height: number, padTo = 0): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.set([8, 6, 0, 0, 0], 16);
  const out = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr]);
  return padTo > out.length ? Buffer.concat([out, Buffer.alloc(padTo - out.length)]) : out;
}

const woff2 = Buffer.concat([Buffer.from('wOF2'), Buffer.from([0, 1, 0, 0])]);

function refusal(bytes: Buffer, kind: 'image' | 'font'): string {
  try {
    checkAsset(bytes, kind);
  } catch (e) {
    if (e instanceof AssetError) return e.message;
    throw e;
  }
  throw new Error('accepted');
}

describe('theme assets', () => {
  it('reads the type from the bytes and hashes the content', () => {
    const a = checkAsset(png(200, 50), 'image');
    expect(a.mime).toBe('image/png');
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(checkAsset(png(200, 50), 'image').sha256).toBe(a.sha256);
    expect(checkAsset(png(201, 50), 'image').sha256).not.toBe(a.sha256);
    expect(checkAsset(woff2, 'font').mime).toBe('font/woff2');
  });

  it('refuses what is not an image, a font where an image goes, and the reverse', () => {
    expect(refusal(Buffer.from('GIF89a....'), 'image')).toContain('is not a PNG, JPEG, WebP or SVG');
    expect(refusal(png(10, 10), 'font')).toBe('is not a woff2 font');
    expect(refusal(woff2, 'image')).toContain('is a font');
  });

  it('enforces byte and pixel limits from the real header', () => {
    expect(refusal(png(ASSET_LIMITS.pixels + 1, 10), 'image')).toBe(`is ${ASSET_LIMITS.pixels + 1}×10 pixels, over ${ASSET_LIMITS.pixels} per side`);
    expect(refusal(png(10, 10, ASSET_LIMITS.imageBytes + 1), 'image')).toContain('KB');
    expect(checkAsset(png(ASSET_LIMITS.pixels, ASSET_LIMITS.pixels), 'image').mime).toBe('image/png');
  });

  it('sanitises a scripted SVG: scripts, handlers, foreignObject and outside references removed', () => {
    const evil = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert(1)">
  <script>alert(2)</script>
  <style>rect { fill: url(https://evil.example/x) }</style>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#123456"/></linearGradient></defs>
  <a href="javascript:alert(3)"><rect width="5" height="5" fill="url(#g)" onclick="alert(4)"/></a>
  <image xlink:href="https://evil.example/track.png" width="1" height="1"/>
  <circle r="2" fill="url(https://evil.example/f)" style="fill: url('http://evil.example/y')"/>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
</svg>`;
    const clean = checkAsset(Buffer.from(evil), 'image');
    expect(clean.mime).toBe('image/svg+xml');
    const out = clean.bytes.toString('utf8');
    for (const gone of ['script', 'alert', 'onload', 'onclick', 'foreignObject', 'evil.example', 'javascript:', '<style']) expect(out).not.toContain(gone);
    expect(out).toContain('fill="url(#g)"');
    expect(out).toContain('<linearGradient id="g">');
    expect(out).toMatch(/^<svg [^>]*viewBox="0 0 10 10"/);
  });

  it('refuses markup that is not an SVG', () => {
    expect(refusal(Buffer.from('<html><body>hi</body></html>'), 'image')).toContain('not an SVG');
  });

  it('decodes a data: URL', () => {
    expect(dataUrlBytes('data:image/png;base64,aGVs\nbG8=').toString()).toBe('hello');
  });
});

describe('upload problems, for a translated refusal', () => {
  it('names each refusal by a code with its numbers, and accepts a good upload', () => {
    expect(uploadProblem(png(200, 50), 'image')).toBeUndefined();
    expect(uploadProblem(Buffer.from('GIF89a....'), 'image')).toEqual({ code: 'unknown_type', params: {} });
    expect(uploadProblem(png(10, 10), 'font')).toEqual({ code: 'not_font', params: {} });
    expect(uploadProblem(woff2, 'image')).toEqual({ code: 'font_not_image', params: {} });
    expect(uploadProblem(png(10, 10, ASSET_LIMITS.imageBytes + 1), 'image')).toEqual({ code: 'too_large', params: { kb: 1024 } });
    expect(uploadProblem(png(5000, 10), 'image')).toEqual({ code: 'too_many_pixels', params: { width: 5000, height: 10, max: 4096 } });
    expect(uploadProblem(Buffer.from('<html><body>no</body></html>'), 'image')?.code).toBe('bad_svg');
  });
});
