import { describe, expect, it } from 'vitest';
import { checkConfig } from '../src/config/load.js';

describe('config: [serve]', () => {
  it('is optional: nothing set, CORS off', () => {
    const { config, issues } = checkConfig({}, {});
    expect(issues).toEqual([]);
    expect(config.serve).toEqual({ host: undefined, port: undefined, token: undefined, corsOrigins: [] });
  });

  it('reads host, port, token and origins; a token from the environment is a secret to mask', () => {
    const { config, issues } = checkConfig(
      { serve: { host: '0.0.0.0', port: 8080, token: '${DASH_TOKEN}', cors_origins: ['https://grafana.example.com'] } },
      { env: { DASH_TOKEN: 'a-long-token-from-the-env-1234' } },
    );
    expect(issues).toEqual([]);
    expect(config.serve).toEqual({ host: '0.0.0.0', port: 8080, token: 'a-long-token-from-the-env-1234', corsOrigins: ['https://grafana.example.com'] });
    expect(config.secrets).toEqual(['a-long-token-from-the-env-1234']);
  });

  it('reports a short token, a bad port, an origin with a path and unknown keys', () => {
    const { issues } = checkConfig({ serve: { port: 70_000, token: 'short', cors_origins: ['https://x.test/path'], tls: true } }, {});
    expect(issues.map((issue) => issue.path).sort()).toEqual(['serve.cors_origins[0]', 'serve.port', 'serve.tls', 'serve.token']);
  });
});
