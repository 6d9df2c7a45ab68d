import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('config', () => {
  it('applies documented defaults', () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config).toMatchObject({ port: 8080, keyPrefix: 'beacon', tickMs: 250 });
  });

  it('fails with a readable message on bad values', () => {
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/redisUrl: must be a redis:\/\//);
    expect(() => loadConfig({ REDIS_URL: 'redis://x', PORT: 'eighty' })).toThrow(/port/);
  });
});
