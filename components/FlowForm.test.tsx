// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { FlowForm, type FormState } from './FlowForm';
import { render } from './testing';

const action = async (s: FormState) => s;
const fields = [
  { name: 'username', label: 'Username', type: 'text', autoComplete: 'off' },
  { name: 'email', label: 'E-mail', type: 'email', autoComplete: 'off', hint: 'Their address' },
  { name: 'notes', label: 'Notes', type: 'textarea', autoComplete: 'off' },
];

/** The form as the server renders it after a refused submit (what a browser without JavaScript gets). */
function refused(initial: FormState) {
  const { html } = render(<FlowForm action={action} hidden={{}} fields={fields} buttons={[{ label: 'Save' }]} initial={initial} />);
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return doc;
}

describe('a refused form', () => {
  it('marks each field at fault, its reason beside it and read with it, the summary linking to each, the values kept', () => {
    const doc = refused({
      error: {
        message: 'Check the marked fields (2).',
        field: 'email',
        reasons: [
          { field: 'email', text: 'Invalid email address', lang: 'en' },
          { field: 'notes', text: '/notes: Too big', lang: 'en' },
          { text: '/scope: unknown scope', lang: 'en' },
        ],
      },
      values: { username: 'carol', email: 'carol@localhost' },
    });
    const email = doc.getElementById('email')!;
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(email.getAttribute('aria-describedby')!.split(' ')).toEqual(['email-error', 'email-hint', 'form-error']);
    expect(email.getAttribute('value')).toBe('carol@localhost');
    expect(email.hasAttribute('autofocus')).toBe(true);
    const reason = doc.getElementById('email-error')!;
    expect(reason.textContent).toBe('Invalid email address');
    expect(reason.getAttribute('lang')).toBe('en');
    expect(doc.getElementById('notes')!.getAttribute('aria-invalid')).toBe('true');
    expect(doc.getElementById('notes-error')!.textContent).toBe('/notes: Too big');
    expect(doc.getElementById('username')!.hasAttribute('aria-invalid')).toBe(false);
    expect(doc.getElementById('username')!.getAttribute('value')).toBe('carol');
    const summary = doc.getElementById('form-error')!;
    expect(summary.getAttribute('tabindex')).toBe('-1');
    expect([...summary.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.textContent])).toEqual([
      ['#email', 'E-mail'],
      ['#notes', 'Notes'],
    ]);
    expect(summary.textContent).toContain('/scope: unknown scope');
  });

  it('without reasons marks the one field named, as the hosted screens do', () => {
    const doc = refused({ error: { message: 'Wrong code', field: 'username' } });
    expect(doc.getElementById('username')!.getAttribute('aria-invalid')).toBe('true');
    expect(doc.getElementById('username')!.getAttribute('aria-describedby')).toBe('form-error');
    expect(doc.getElementById('username-error')).toBeNull();
    expect(doc.getElementById('email')!.getAttribute('aria-describedby')).toBe('email-hint');
  });
});
