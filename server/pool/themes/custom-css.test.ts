import { describe, expect, it } from 'vitest';
import { CustomCssError, sanitiseCustomCss, type CssAssets } from './custom-css';

const png = 'a'.repeat(64);
const font = 'b'.repeat(64);
const assets: CssAssets = {
  url: (sha) => (sha === png ? `/assets/t/${sha}.png` : sha === font ? `/assets/t/${sha}.woff2` : undefined),
  isFont: (sha) => sha === font,
};

function refusal(css: string): CustomCssError {
  try {
    sanitiseCustomCss(css, assets);
  } catch (e) {
    if (e instanceof CustomCssError) return e;
    throw e;
  }
  throw new Error(`accepted: ${css}`);
}

describe('custom CSS', () => {
  it("accepts Cognito's classic CSS and scopes it under the login root", () => {
    const cognito = `.submitButton-customizable { background-color: #1f5fbf; border-radius: 4px; }
.submitButton-customizable:hover { background-color: #174a94; }
.inputField-customizable:focus { border-color: #1f5fbf; }
.banner-customizable { padding: 25px 0 25px 0; background-color: lightgray; }`;
    const out = sanitiseCustomCss(cognito, assets);
    expect(out).toContain('.foyer-root .submitButton-customizable{background-color:#1f5fbf');
    expect(out).toContain('.foyer-root .submitButton-customizable:hover{');
    expect(out).toContain('.foyer-root .inputField-customizable:focus{');
    expect(out).not.toMatch(/(^|\})\.submitButton/);
  });

  it('keeps allowed @media, rewrites asset urls, and allows @font-face on an uploaded font', () => {
    const out = sanitiseCustomCss(
      `@font-face { font-family: Brand; src: url(asset:${font}) format("woff2"); }
@media screen and (max-width: 600px) and (prefers-color-scheme: dark) { .foyer-card { background-image: url(asset:${png}); font-family: Brand; } }`,
      assets,
    );
    expect(out).toContain(`url(/assets/t/${font}.woff2)`);
    expect(out).toContain(`@media screen and (max-width:600px) and (prefers-color-scheme:dark){.foyer-root .foyer-card{background-image:url(/assets/t/${png}.png)`);
  });

  it.each([
    ['@import url(https://evil.example/x.css);\n', 1, '@import is refused'],
    ['.foyer-card { color: red; }\n.foyer-card { background: url(https://evil.example/a.png); }', 2, 'only uploaded assets'],
    ['.foyer-card {\n  width: expression(alert(1));\n}', 2, 'expression() is refused'],
    ['.foyer-card { behavior: url(x.htc); }', 1, '"behavior" is refused'],
    ['\n\n.foyer-card { -moz-binding: url(x.xml#a); }', 3, '"-moz-binding" is refused'],
    ['.foyer-card { background-image: url("javascript:alert(1)"); }', 1, 'only uploaded assets'],
    ['.foyer-card { font-family: "javascript:alert(1)"; }', 1, '"javascript:" is refused'],
    ['body { color: red; }', 1, '"body" selects outside the login root'],
    ['html .foyer-card { color: red; }', 1, '"html" selects outside the login root'],
    [':root .foyer-card { color: red; }', 1, '":root" selects outside the login root'],
    ['* { color: red; }', 1, 'names no documented hook'],
    ['.my-class { color: red; }', 1, '".my-class" is not a documented hook'],
    ['.foyer-card { --x: url(https://evil.example/a.png); }', 1, 'only uploaded assets'],
    ['@font-face { font-family: X; src: url(https://evil.example/f.woff2); }', 1, 'only uploaded assets'],
    [`@font-face { font-family: X; src: url(asset:${png}); }`, 1, 'not an uploaded woff2 font'],
    ['@media print { .foyer-card { color: red; } }', 1, 'media type "print" is not allowed'],
    ['@keyframes spin { from { color: red; } }', 1, '@keyframes is not allowed'],
    ['.foyer-card { position: fixed; content: "x"; unknown-prop: 1; }', 1, 'the property "unknown-prop" is not allowed'],
  ])('refuses %j at line %i: %s', (css, line, reason) => {
    const e = refusal(css);
    const p = e.problems.find((x) => x.reason.includes(reason));
    expect(p, e.message).toBeDefined();
    expect(p!.line).toBe(line);
    expect(e.message).toContain(`line ${line}, `);
  });

  it('refuses more than 64 KB', () => {
    const big = `.foyer-card { color: red; }\n`.repeat(3000);
    expect(refusal(big).message).toContain('over 64 KB');
  });

  it('names the rule of each problem', () => {
    expect(refusal('.foyer-card, body { color: red; }').problems[0].rule).toBe('".foyer-card,body"');
  });
});
