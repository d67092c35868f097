import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { readPoolConfig } from '../../config/seed';
import type { Db } from '../../db/connect';
import { applyPoolConfig } from '../../pool-config/apply';
import { exportPoolConfig } from '../../pool-config/export';
import { anotherConnection, describeEachDb } from '../../testing/databases';
import { renderMail } from '../../mail/templates';
import { testOutbox } from '../../testing/outbox';
import { findClient } from '../clients';
import { createPool } from '..';
import { queueMail } from '../messages';
import { inTransaction } from '../transaction';
import { settingsReader } from '../settings';
import { createThemes } from '.';

/** The config file's JSON, edited freely by the cases below. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ConfigJson = Record<string, any>;

const SCRIPTED_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10" onload="alert(1)"><script>alert(2)</script><rect width="40" height="10" fill="#123456"/></svg>`;

/** A PNG's signature and IHDR chunk: all the header reader looks at. */
function png(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.set([8, 6, 0, 0, 0], 16);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr]);
}

/** A config file in its own folder, with a logo beside it; `edit` changes the JSON first. */
function configFile(edit: (f: ConfigJson) => void = () => undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foyer-themes-'));
  fs.mkdirSync(path.join(dir, 'brand'));
  fs.writeFileSync(path.join(dir, 'brand', 'logo.svg'), SCRIPTED_SVG);
  fs.writeFileSync(path.join(dir, 'brand', 'banner.png'), png(1200, 200));
  fs.writeFileSync(path.join(dir, 'brand', 'huge.png'), png(5000, 200));
  const f = {
    pool: { name: 'Acme', theme: 'acme' } as Record<string, unknown>,
    themes: [
      {
        id: 'acme',
        name: 'Acme',
        logo: { light: 'brand/logo.svg', alt: 'Acme', height: 32 },
        colors: { light: { brand: '#8a1538', link: '#8a1538', focus: '#8a1538' } },
        images: { banner: 'brand/banner.png' },
        css: '.submitButton-customizable { text-transform: uppercase; }\n.banner-customizable { background-image: url(image:banner); }',
      },
      { id: 'acme-dark', name: 'Acme dark', extends: 'acme', mode: 'dark' },
    ] as Record<string, unknown>[],
    clients: [
      { client_id: 'night', token_endpoint_auth_method: 'none', redirect_uris: ['https://night.example/cb'], theme: 'acme-dark' },
      { client_id: 'plain', token_endpoint_auth_method: 'none', redirect_uris: ['https://plain.example/cb'] },
    ] as Record<string, unknown>[],
  };
  edit(f);
  const file = path.join(dir, 'foyer.json');
  fs.writeFileSync(file, JSON.stringify(f));
  return file;
}

function themesOf(db: Db) {
  const settings = settingsReader(db.kysely);
  return createThemes({ db: db.kysely, clientTheme: async (id) => (await findClient(db.kysely, id))?.theme, poolTheme: async () => (await settings.read()).theme, secret: 'test-secret' });
}

describeEachDb('themes: storage, config, resolution, freshness', (open) => {
  it('applies themes from the config file: assets read beside it, SVG sanitised, stored by hash', async () => {
    const db = await open();
    const plan = await applyPoolConfig(db, readPoolConfig(configFile()));
    expect(plan.changes.filter((c) => c.section === 'themes').map((c) => `${c.action} ${c.name}`)).toEqual(['create acme', 'create acme-dark']);
    const row = await db.kysely.selectFrom('themes').select('definition').where('id', '=', 'acme').executeTakeFirstOrThrow();
    const ref = JSON.parse(row.definition).logo.light as string;
    expect(ref).toMatch(/^asset:[0-9a-f]{64}$/);
    const asset = await db.kysely.selectFrom('theme_assets').selectAll().where('id', '=', ref.slice(6)).executeTakeFirstOrThrow();
    expect(asset.mime).toBe('image/svg+xml');
    const svg = Buffer.from(asset.bytes).toString('utf8');
    expect(svg).toContain('<rect');
    expect(svg).not.toContain('script');
    expect(svg).not.toContain('onload');
  });

  it("a CSS image comes with the theme (read beside the config, checked like a logo) and its rule points at the stored asset", async () => {
    const db = await open();
    await applyPoolConfig(db, readPoolConfig(configFile()));
    const applied = await themesOf(db).forClient('plain');
    const banner = applied.theme.images.banner;
    expect(banner).toMatch(/^asset:[0-9a-f]{64}$/);
    const css = await themesOf(db).stylesheet(applied.stylesheet.slice('/themes/'.length, -'.css'.length));
    expect(css).toContain(`.foyer-root .banner-customizable{background-image:url(/assets/t/${banner.slice(6)}.png)}`);
  });

  it('exports themes with their assets as data: URLs: the export applies to an empty database and renders the same themes', async () => {
    const db = await open();
    await applyPoolConfig(db, readPoolConfig(configFile()));
    // A theme whose CSS names a stored asset by hash (as the admin API allows).
    const first = themesOf(db);
    const banner = (await first.forClient('plain')).theme.images.banner;
    await first.save([{ id: 'legacy', name: 'Legacy', extends: 'acme', css: `.foyer-card { background-image: url(${banner}); }` }]);
    const exported = await exportPoolConfig(db.kysely, { includeSecrets: false });
    const themes = exported.themes as ConfigJson[];
    expect(themes.map((t) => t.id)).toEqual(['acme', 'acme-dark', 'legacy']);
    // No stored reference left but the one in legacy's CSS, whose image comes along.
    expect(JSON.stringify(themes.map(({ css: _css, ...t }) => t))).not.toContain('asset:');
    expect(themes[0].logo.light).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(themes[0].images.banner).toMatch(/^data:image\/png;base64,/);
    expect(themes[2].images).toEqual({ [`css-${banner.slice(6, 30)}`]: themes[0].images.banner });

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foyer-export-'));
    const file = path.join(dir, 'export.json');
    fs.writeFileSync(file, JSON.stringify({ pool: exported.pool, themes: exported.themes, clients: exported.clients }));
    const fresh = await open();
    await applyPoolConfig(fresh, readPoolConfig(file));
    const [a, b] = [themesOf(db), themesOf(fresh)];
    for (const client of ['night', 'plain']) {
      const [before, after] = [await a.forClient(client), await b.forClient(client)];
      expect(after.theme).toEqual(before.theme);
      expect(after.stylesheet).toBe(before.stylesheet);
      expect(after.assets).toEqual(before.assets);
    }
    // The CSS's hash reference holds in the new database: its image was stored under that hash.
    const legacy = await fresh.kysely.selectFrom('themes').select('definition').where('id', '=', 'legacy').executeTakeFirstOrThrow();
    expect(JSON.parse(legacy.definition).css).toContain(banner);
    expect(await fresh.kysely.selectFrom('theme_assets').select('id').where('id', '=', banner.slice(6)).executeTakeFirst()).toBeTruthy();
    // Applied again to the same database, the export changes nothing but the image legacy's CSS named, now one of its own.
    const again = await applyPoolConfig(db, readPoolConfig(file));
    expect(again.changes.map((c) => `${c.section} ${c.action} ${c.name}`)).toEqual(['themes update legacy']);
    expect(again.unchanged.themes).toBe(2);
  });

  it.each([
    ['an unknown extends', (f: ConfigJson) => (f.themes[1].extends = 'nope'), 'field "themes.1.extends": theme "acme-dark" extends "nope", which does not exist'],
    ['a cycle', (f: ConfigJson) => (f.themes[0].extends = 'acme-dark'), 'field "themes.0.extends": theme "acme" extends itself: acme → acme-dark → acme'],
    ['a missing asset file', (f: ConfigJson) => (f.themes[0].logo.light = 'brand/missing.png'), 'field "themes.0.logo.light": cannot read "brand/missing.png"'],
    ['an unknown stored asset', (f: ConfigJson) => (f.themes[0].favicon = `asset:${'0'.repeat(64)}`), `field "themes.0.favicon": asset:${'0'.repeat(64)} is not a stored asset`],
    ['an unknown pool theme', (f: ConfigJson) => (f.pool.theme = 'nope'), 'field "pool.theme": theme "nope" does not exist'],
    ['an unknown client theme', (f: ConfigJson) => (f.clients[1].theme = 'nope'), 'field "clients.1.theme": theme "nope" does not exist'],
    ['forbidden custom CSS', (f: ConfigJson) => (f.themes[0].css = '.foyer-card { color: red; }\n@import url(https://evil.example/x.css);'), 'field "themes.0.css": line 2, "@import": @import is refused'],
    ['an unknown CSS image', (f: ConfigJson) => (f.themes[0].css = '.banner-customizable { background-image: url(image:nope); }'), 'field "themes.0.css": line 1, ".banner-customizable": url(image:nope) names no image of the theme'],
    ['a remote url() in CSS', (f: ConfigJson) => (f.themes[0].css = '.banner-customizable { background-image: url(https://evil.example/x.png); }'), 'url(https://evil.example/x.png) is refused'],
    ['a CSS image over the pixel limit', (f: ConfigJson) => (f.themes[0].images = { banner: 'brand/huge.png' }), 'field "themes.0.images.banner": "brand/huge.png" is 5000×200 pixels, over 4096 per side'],
    ['low contrast', (f: ConfigJson) => (f.themes[0].colors.light.brandText = '#9a4a5f'), 'field "themes.0.colors": light brandText/brand contrast is 1.'],
  ])('refuses %s with a config error naming the field', async (_what, edit, message) => {
    const db = await open();
    await expect(applyPoolConfig(db, readPoolConfig(configFile(edit)))).rejects.toThrow(message);
    expect(await db.kysely.selectFrom('themes').select('id').execute()).toEqual([]);
  });

  it('stores low contrast with allowLowContrast, and says so', async () => {
    const db = await open();
    const themes = themesOf(db);
    const { warnings } = await themes.save([{ id: 'faint', name: 'Faint', colors: { light: { text: '#aaaaaa' } }, allowLowContrast: true }]);
    expect(warnings).toEqual([expect.stringMatching(/^theme "faint": light text\/background contrast is 2\.\d\d:1, below WCAG 2\.2 AA's 4\.5:1$/), expect.stringContaining('light text/surface')]);
  });

  it("applies the client's theme, else the pool's, else the built-in default; stylesheets served by hash", async () => {
    const db = await open();
    const themes = themesOf(db);
    const before = await themes.forClient('plain');
    expect(before.theme.id).toBe('default');
    await applyPoolConfig(db, readPoolConfig(configFile()));
    // The pool's settings are read at most once a second: a fresh reader sees the change now.
    const fresh = themesOf(db);
    const night = await fresh.forClient('night');
    const plain = await fresh.forClient('plain');
    const none = await fresh.forClient(null);
    expect(night.theme.id).toBe('acme-dark');
    expect(night.theme.mode).toBe('dark');
    expect(night.theme.colors.light.brand).toBe('#8a1538'); // inherited from acme
    expect(plain.theme.id).toBe('acme');
    expect(none.theme.id).toBe('acme');
    expect(night.stylesheet).toMatch(/^\/themes\/[0-9a-f]{32}\.css$/);
    expect(night.stylesheet).not.toBe(plain.stylesheet);
    expect(plain.assets[plain.theme.logo!.light]).toMatch(/^\/assets\/t\/[0-9a-f]{64}\.svg$/);

    // Another instance, which never rendered a page, serves the stylesheet by its hash.
    const other = themesOf(anotherConnection(db));
    const css = await other.stylesheet(plain.stylesheet.slice('/themes/'.length, -'.css'.length));
    expect(css).toContain('--foyer-brand:#8a1538;');
    expect(css).toContain('.foyer-root .submitButton-customizable{text-transform:uppercase}');
    expect(await other.stylesheet('0'.repeat(32))).toBeUndefined();
    const darkCss = await other.stylesheet(night.stylesheet.slice('/themes/'.length, -'.css'.length));
    // A dark-only theme: one palette, the dark one, and no light variant to switch to.
    expect(darkCss).toMatch(/:root\{[^}]*color-scheme:dark;\}/);
    expect(darkCss).not.toContain('prefers-color-scheme');
  });

  it('a theme changed through one instance shows on the next call of another, without restart', async () => {
    const db = await open();
    await applyPoolConfig(db, readPoolConfig(configFile()));
    const a = themesOf(db);
    const b = themesOf(anotherConnection(db));
    const first = await b.forClient('plain');
    expect(first.theme.colors.light.brand).toBe('#8a1538');
    expect(await b.forClient('plain')).toBe(first); // cached while the version stands
    await a.save([{ id: 'acme', name: first.theme.name, colors: { light: { brand: '#0b5d1e', link: '#0b5d1e', focus: '#0b5d1e' } } }]);
    const next = await b.forClient('plain');
    expect(next.theme.colors.light.brand).toBe('#0b5d1e');
    expect(next.stylesheet).not.toBe(first.stylesheet);
    // The page rendered just before still gets its stylesheet.
    expect(await b.stylesheet(first.stylesheet.slice('/themes/'.length, -'.css'.length))).toContain('#8a1538');
  });

  it('a stored theme that is no longer valid (edited by hand) is ignored: its clients get the default, nothing fails', async () => {
    const db = await open();
    await applyPoolConfig(db, readPoolConfig(configFile()));
    await db.kysely.updateTable('themes').set({ definition: JSON.stringify({ id: 'acme', name: 'Acme', favicon: 'asset:0aec' }) }).where('id', '=', 'acme').execute();
    await db.kysely.updateTable('settings').set({ value: JSON.stringify('hand-edited') }).where('name', '=', 'themes_version').execute();
    const applied = await themesOf(db).forClient('plain');
    expect(applied.theme.id).toBe('default');
    expect(applied.stylesheet).toMatch(/^\/themes\/[0-9a-f]{32}\.css$/);
  });

  it('a transaction reads the mail theme only when it renders a mail, and through itself', async () => {
    const db = await open();
    const outbox = testOutbox(db.kysely);
    const pool = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret' });
    const reads: boolean[] = [];
    const ctx = { ...pool.ctx, mailBrand: async (on: Parameters<NonNullable<typeof pool.ctx.mailBrand>>[0]) => (reads.push(on.db.isTransaction), pool.ctx.mailBrand!(on)) };
    await inTransaction(ctx, async () => undefined);
    expect(reads).toEqual([]);
    await inTransaction(ctx, (tx) => queueMail(tx, 'ada@acme.example', { kind: 'recoveryCodeUsed', remaining: 3 }, 'en'));
    expect(reads).toEqual([true]);
  });

  it("e-mails get an HTML part with the pool theme's logo and brand colour; the text stays as it was", async () => {
    const db = await open();
    await applyPoolConfig(db, readPoolConfig(configFile()));
    const outbox = testOutbox(db.kysely);
    const pool = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret', publicUrl: 'https://id.acme.example' });
    // Queued inside a transaction, as codes are: the theme is read through it (SQLite has one connection).
    await inTransaction(pool.ctx, (tx) => queueMail(tx, 'ada@acme.example', { kind: 'recoveryCodeUsed', remaining: 3 }, 'ar'));
    await outbox.deliver();
    const [mail] = outbox.mails;
    expect(mail.text).toBe(renderMail('ada@acme.example', { kind: 'recoveryCodeUsed', remaining: 3 }, 'ar', 'Acme').text);
    expect(mail.html).toMatch(/<img src="https:\/\/id\.acme\.example\/assets\/t\/[0-9a-f]{64}\.svg" alt="Acme" height="32"/);
    expect(mail.html).toContain('border-top:4px solid #8a1538');
    expect(mail.html).toContain('<html lang="ar" dir="rtl">');
  });
});
