import { describe, expect, it } from 'vitest';
import { DASH_ERROR_CODES, DashError, errorKind } from '../src/errors.js';

describe('error codes: one table', () => {
  it('gives every code of Dash its kind', () => {
    expect(errorKind('USAGE')).toBe('user');
    expect(errorKind('CONFIG_PARSE')).toBe('config');
    expect(errorKind('PLUGIN_NOT_FOUND')).toBe('config');
    expect(errorKind('AUTH_REQUIRED')).toBe('auth');
    expect(errorKind('NETWORK')).toBe('backend');
    expect(errorKind('INTERRUPTED')).toBe('interrupted');
    expect(errorKind('CACHE_WRITE')).toBe('internal');
    for (const [code, kind] of Object.entries(DASH_ERROR_CODES)) expect(errorKind(code)).toBe(kind);
  });

  it("a plugin's namespaced code is a backend error; anything else is internal (a bug)", () => {
    expect(errorKind('timewarrior:NOT_FOUND')).toBe('backend');
    expect(errorKind(new DashError('watson:FRAMES_LOCKED', 'locked').code)).toBe('backend');
    expect(errorKind('NOT_A_CODE')).toBe('internal');
    expect(errorKind('toString')).toBe('internal');
  });
});

describe('isConfigError', () => {
  it('tells a config error by its issues, from any copy of dash-core', async () => {
    const { ConfigError, isConfigError } = await import('../src/errors.js');
    expect(isConfigError(new ConfigError('CONFIG_INVALID', 'dash.toml', [{ path: 'goals.daly', message: 'unknown key' }]))).toBe(true);
    // Another copy's ConfigError: the same shape, another class.
    expect(isConfigError(Object.assign(new Error('x'), { isDashError: true, code: 'CONFIG_INVALID', issues: [] }))).toBe(true);
    expect(isConfigError(new DashError('CONFIG_INVALID', 'no issues listed'))).toBe(false);
    expect(isConfigError({ issues: [] })).toBe(false);
  });
});
