import { describe, expect, it } from 'vitest';
import { cacheDir } from '../src/cache/location.js';
import { configDir } from '../src/config/find.js';
import { dataHome } from '../src/host/context.js';

describe('XDG base directories', () => {
  it('use $XDG_CONFIG_HOME, $XDG_CACHE_HOME and $XDG_DATA_HOME when they are absolute paths', () => {
    const env = { HOME: '/home/u', XDG_CONFIG_HOME: '/x/config', XDG_CACHE_HOME: '/x/cache', XDG_DATA_HOME: '/x/data' };
    expect([configDir(env), cacheDir(env), dataHome(env)]).toEqual(['/x/config/dash', '/x/cache/dash', '/x/data/dash']);
  });

  it('ignore relative values, as the XDG spec says, and fall back to the defaults under HOME', () => {
    const env = { HOME: '/home/u', XDG_CONFIG_HOME: 'config', XDG_CACHE_HOME: './cache', XDG_DATA_HOME: '../data' };
    expect([configDir(env), cacheDir(env), dataHome(env)]).toEqual(['/home/u/.config/dash', '/home/u/.cache/dash', '/home/u/.local/share/dash']);
  });

  it('ignore empty values', () => {
    const env = { HOME: '/home/u', XDG_CONFIG_HOME: '', XDG_CACHE_HOME: '', XDG_DATA_HOME: '' };
    expect([configDir(env), cacheDir(env), dataHome(env)]).toEqual(['/home/u/.config/dash', '/home/u/.cache/dash', '/home/u/.local/share/dash']);
  });
});
