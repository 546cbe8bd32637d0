import { DashError } from 'dash-core';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.js';
import { exitCodeFor } from '../src/report.js';

describe('exit codes come from the error table', () => {
  it('maps each kind to its exit code', () => {
    expect(exitCodeFor(new DashError('USAGE', 'x'))).toBe(EXIT.usage);
    expect(exitCodeFor(new DashError('CONFIG_INVALID', 'x'))).toBe(EXIT.usage);
    expect(exitCodeFor(new DashError('AUTH_FAILED', 'x'))).toBe(EXIT.auth);
    expect(exitCodeFor(new DashError('NETWORK', 'x'))).toBe(EXIT.partial);
    expect(exitCodeFor(new DashError('upwork:ODD', 'x'))).toBe(EXIT.partial);
    expect(exitCodeFor(new DashError('INTERRUPTED', 'x'))).toBe(EXIT.interrupted);
    expect(exitCodeFor(new DashError('CACHE_WRITE', 'x'))).toBe(EXIT.internal);
    expect(exitCodeFor(new Error('boom'))).toBe(EXIT.internal);
  });
});
