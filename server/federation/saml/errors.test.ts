import { describe, expect, it } from 'vitest';
import en from '../../../messages/en.json';
import { attempt, fromNodeSaml, SAML_ERROR_CODES, SamlError } from './errors';

describe('SAML error codes', () => {
  it('each has an English message under saml.errors (the catalogue test holds Arabic to the same keys)', () => {
    expect(Object.keys(en.saml.errors).sort()).toEqual([...SAML_ERROR_CODES].sort());
  });

  it('a SamlError becomes { error, detail }; any other exception is a bug and propagates', async () => {
    expect(await attempt(async () => Promise.reject(new SamlError('saml_replay', 'seen')))).toEqual({ error: 'saml_replay', detail: 'saml_replay: seen' });
    await expect(attempt(async () => Promise.reject(new RangeError('bug')))).rejects.toThrow('bug');
  });

  it('node-saml failures it does not recognise are a bad response, not a crash', () => {
    expect(fromNodeSaml(new Error('Something new in node-saml 6')).code).toBe('saml_bad_response');
    expect(fromNodeSaml('a string').code).toBe('saml_bad_response');
  });
});
