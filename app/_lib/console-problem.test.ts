import { describe, expect, it } from 'vitest';
import { fieldReasons } from './console-problem';

const fields = {
  '/email': { name: 'email', label: 'E-mail' },
  '/redirect_uris': { name: 'redirect_uris', label: 'Redirect URIs' },
};

describe('the admin API’s field errors on a console form', () => {
  it('puts each reason beside the field its pointer leads to, a list item on its list, in the API’s words', () => {
    const { reasons, marked } = fieldReasons(
      [
        { pointer: '/email', detail: 'Invalid email address' },
        { pointer: '/redirect_uris/1', detail: 'must be an https URL' },
        { pointer: '/redirect_uris/0', detail: 'Invalid URL' },
      ],
      fields,
    );
    expect(reasons).toEqual([
      { field: 'email', text: 'Invalid email address', lang: 'en' },
      { field: 'redirect_uris', text: '/redirect_uris/1: must be an https URL', lang: 'en' },
      { field: 'redirect_uris', text: '/redirect_uris/0: Invalid URL', lang: 'en' },
    ]);
    expect(marked).toEqual(['E-mail', 'Redirect URIs']);
  });

  it('keeps a reason no field is mapped for, for the summary; a JSON editor takes every pointer and names it', () => {
    expect(fieldReasons([{ pointer: '/scope', detail: 'unknown scope' }], fields)).toEqual({ reasons: [{ field: undefined, text: '/scope: unknown scope', lang: 'en' }], marked: [] });
    const editor = { '': { name: 'settings', label: 'Policies (JSON)' } };
    expect(fieldReasons([{ pointer: '/password_policy/min_length', detail: 'Too small: expected number to be >=6' }, { pointer: '', detail: 'Invalid input' }], editor)).toEqual({
      reasons: [
        { field: 'settings', text: '/password_policy/min_length: Too small: expected number to be >=6', lang: 'en' },
        { field: 'settings', text: '/: Invalid input', lang: 'en' },
      ],
      marked: ['Policies (JSON)'],
    });
  });

  it('does not take a pointer that only starts like a mapped one', () => {
    expect(fieldReasons([{ pointer: '/emails', detail: 'x' }], fields).reasons[0].field).toBeUndefined();
    // A pointer naming an inherited property of a plain object is no field either.
    expect(fieldReasons([{ pointer: '/constructor', detail: 'x' }], fields).reasons[0].field).toBeUndefined();
  });
});
