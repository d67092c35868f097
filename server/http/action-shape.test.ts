import { describe, expect, it } from 'vitest';
import { fetchCallIsWellFormed, formPostIsWellFormed } from './action-shape';
import { FORM_BODY_LIMIT_BYTES, formPolicy, UPLOAD_FORM_BODY_LIMIT_BYTES } from './limits';
import { boundaryOf, parseMultipart } from './multipart';

const ID = '60ab12';
const known = new Set([ID]);

/** The fields React renders for a `useActionState` form without scripts (the form's own after). */
const form = (n = 1, id = ID, state = '[{}]'): [string, string][] => [
  [`$ACTION_REF_${n}`, ''],
  [`$ACTION_${n}:0`, JSON.stringify({ id, bound: '$@1' })],
  [`$ACTION_${n}:1`, state],
  ['$ACTION_KEY', 'k0e270cda7e39df3fff886df11a69df4f'],
  ['uid', 'abc'],
];

describe('a form posted without scripts', () => {
  it('is accepted as React renders it, for any form number and a previous state with escaped $ strings', () => {
    expect(formPostIsWellFormed(form(), known)).toBe(true);
    expect(formPostIsWellFormed(form(2), known)).toBe(true);
    expect(formPostIsWellFormed(form(1, ID, '[{"error":"x","values":{"identifier":"$$x"}}]'), known)).toBe(true);
  });

  it.each([
    ['an unknown action', form(1, 'ffff')],
    ['a reference to another chunk', form().map(([k, v]): [string, string] => [k, v.replace('$@1', '$@2')])],
    ['broken JSON', form(1, ID, '[{')],
    ['extra arguments', form(1, ID, '[1,2,3]')],
    ['a forged reference in the state', form(1, ID, '[{"a":"$Q1"}]')],
    ['no action at all', form().filter(([k]) => !k.startsWith('$'))],
    ['a plain $ACTION_ID_ field', [[`$ACTION_ID_${ID}`, ''], ['uid', 'x']] as [string, string][]],
    ['two actions', [...form(1), ...form(2).slice(0, 3)]],
    ['a bad key', form().map(([k, v]): [string, string] => [k, k === '$ACTION_KEY' ? '' : v])],
  ])('is refused with %s', (_name, fields) => {
    expect(formPostIsWellFormed(fields, known)).toBe(false);
  });
});

describe('a call from a page with scripts (Next-Action)', () => {
  it('is accepted with the previous state and the form, or the form alone', () => {
    expect(fetchCallIsWellFormed(ID, [['0', '[{},"$K1"]'], ['_1_uid', 'x']], known)).toBe(true);
    expect(fetchCallIsWellFormed(ID, [['0', '["$K1"]'], ['_1_uid', 'x']], known)).toBe(true);
  });

  it.each([
    ['an unknown id', 'ffff', [['0', '["$K1"]']]],
    ['no FormData last', ID, [['0', '[{}]']]],
    ['forged references', ID, [['0', '["$Q1","$K1"]']]],
    ['a field outside the form', ID, [['0', '["$K1"]'], ['1', '"$@0"']]],
    ['two roots', ID, [['0', '["$K1"]'], ['0', '["$K1"]']]],
  ] as [string, string, [string, string][]][])('is refused with %s', (_name, id, fields) => {
    expect(fetchCallIsWellFormed(id, fields, known)).toBe(false);
  });
});

describe('multipart/form-data', () => {
  const body = (s: string) => Buffer.from(s, 'latin1');
  it('reads text fields, in UTF-8', () => {
    expect(boundaryOf('multipart/form-data; boundary=----X')).toBe('----X');
    const b = Buffer.concat([body('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n'), Buffer.from('é'), body('\r\n--x\r\nContent-Disposition: form-data; name="b"\r\n\r\n\r\n--x--\r\n')]);
    expect(parseMultipart(b, 'x')).toEqual([['a', 'é'], ['b', '']]);
  });

  it.each([
    ['empty', ''],
    ['no closing delimiter', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nv'],
    ['a part without a name', '--x\r\nContent-Type: text/plain\r\n\r\nv\r\n--x--'],
    ['a file', '--x\r\nContent-Disposition: form-data; name="a"; filename="f"\r\n\r\nv\r\n--x--'],
    ['bytes that are not UTF-8', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n\xff\xfe\r\n--x--'],
  ])('refuses %s', (_name, s) => {
    expect(parseMultipart(body(s), 'x')).toBeUndefined();
  });

  it('takes a file only where files are allowed (the theme screens), named with an empty value', () => {
    const s = '--x\r\nContent-Disposition: form-data; name="a"; filename="logo.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG\xff\r\n--x\r\nContent-Disposition: form-data; name="b"\r\n\r\nv\r\n--x--';
    expect(parseMultipart(body(s), 'x')).toBeUndefined();
    expect(parseMultipart(body(s), 'x', { files: true })).toEqual([['a', ''], ['b', 'v']]);
    // A text field still has to be UTF-8, files allowed or not.
    expect(parseMultipart(body('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n\xff\r\n--x--'), 'x', { files: true })).toBeUndefined();
  });

  it('allows uploads and a larger body on the console theme screens only', () => {
    expect(formPolicy('/en/admin/themes')).toEqual({ limit: UPLOAD_FORM_BODY_LIMIT_BYTES, files: true });
    expect(formPolicy('/pt-BR/admin/themes/brand')).toEqual({ limit: UPLOAD_FORM_BODY_LIMIT_BYTES, files: true });
    for (const other of ['/en/login', '/en/admin/users', '/en/admin/themes/brand/x', '/en/signup']) expect(formPolicy(other)).toEqual({ limit: FORM_BODY_LIMIT_BYTES, files: false });
  });

  it('needs a boundary', () => {
    expect(boundaryOf('multipart/form-data')).toBeUndefined();
    expect(boundaryOf('text/plain; boundary=x')).toBeUndefined();
  });
});
