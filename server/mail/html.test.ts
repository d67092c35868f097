import { describe, expect, it } from 'vitest';
import { renderMail } from './templates';

describe('themed e-mail', () => {
  it('adds an HTML part only with a brand, escaping the text and keeping its paragraphs', () => {
    const plain = renderMail('a@example.test', { kind: 'confirmSignUp', code: '123456', minutes: 15 }, 'en', 'Acme <Corp>');
    expect(plain.html).toBeUndefined();
    const themed = renderMail('a@example.test', { kind: 'confirmSignUp', code: '123456', minutes: 15 }, 'en', 'Acme <Corp>', { color: '#8a1538' });
    expect(themed.text).toBe(plain.text);
    expect(themed.html).toContain('<strong style="font-size:18px">Acme &lt;Corp&gt;</strong>');
    expect(themed.html).toContain('123456');
    expect(themed.html).toContain('border-top:4px solid #8a1538');
    expect(themed.html).not.toContain('<Corp>');
    expect((themed.html!.match(/<p /g) ?? []).length).toBe(plain.text.split(/\n{2,}/).length);
  });

  it("shows the theme's logo with its alt text", () => {
    const html = renderMail('a@example.test', { kind: 'passwordChanged' }, 'en', 'Acme', { color: '#000000', logo: { url: 'https://id.example/assets/t/x.png', alt: 'Acme "logo"', height: 40 } }).html!;
    expect(html).toContain('<img src="https://id.example/assets/t/x.png" alt="Acme &quot;logo&quot;" height="40"');
  });
});
