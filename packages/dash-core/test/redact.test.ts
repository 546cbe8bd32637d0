import { describe, expect, it } from 'vitest';
import { MIN_MASKED_LENGTH, Redactor } from '../src/redact.js';

describe('Redactor: masks secrets in diagnostics, without rewriting what is around them', () => {
  it('masks a secret where it is a whole token, not inside a longer word or number', () => {
    const redactor = new Redactor().add('s3cr3t-token');
    expect(redactor.redact('token=s3cr3t-token; "s3cr3t-token"')).toBe('token=***; "***"');
    expect(redactor.redact('xs3cr3t-token s3cr3t-tokens')).toBe('xs3cr3t-token s3cr3t-tokens');
  });

  it(`never searches for secrets shorter than ${MIN_MASKED_LENGTH} characters: "toggl" or "1" cannot corrupt a message`, () => {
    const redactor = new Redactor().add('toggl', '1', '1440');
    const message = 'dash-cli: toggl: line 1: 1440 entries from dash-plugin-toggl';
    expect(redactor.redact(message)).toBe(message);
  });

  it('masks URL credentials and Authorization headers whatever their length', () => {
    const redactor = new Redactor();
    expect(redactor.redact('GET https://abc:pw@api.test/x failed')).toBe('GET https://***@api.test/x failed');
    expect(redactor.redact('authorization: Bearer abc.def')).toBe('authorization: Bearer ***');
    expect(redactor.redact('mail me at a@b.test')).toBe('mail me at a@b.test');
  });

  it('the longer of two overlapping secrets wins', () => {
    expect(new Redactor().add('abcdefgh', 'abcdefgh-ijkl').redact('x abcdefgh-ijkl y')).toBe('x *** y');
  });
});
