import { InvalidEnvError, parseEnv } from './env';

describe('parseEnv', () => {
  it('splits the token lists and applies the defaults', () => {
    const env = parseEnv({ NX_CACHE_SERVER_DIR: '/srv/nx', NX_CACHE_SERVER_READ_WRITE_TOKENS: ' aaaaaaaaaaaaaaaa , bbbbbbbbbbbbbbbb' });
    expect(env.NX_CACHE_SERVER_READ_WRITE_TOKENS).toEqual(['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb']);
    expect(env.NX_CACHE_SERVER_READ_TOKENS).toEqual([]);
    expect(env.NX_CACHE_SERVER_HOST).toBe('127.0.0.1');
    expect(env.NX_CACHE_SERVER_MAX_ENTRY_BYTES).toBe(1024 * 1024 * 1024);
  });

  it('refuses a server without any token, naming the variable', () => {
    expect(() => parseEnv({ NX_CACHE_SERVER_DIR: '/srv/nx' })).toThrow(InvalidEnvError);
    expect(() => parseEnv({ NX_CACHE_SERVER_DIR: '/srv/nx' })).toThrow(/NX_CACHE_SERVER_READ_WRITE_TOKENS/);
  });

  it('names every bad variable at once', () => {
    const attempt = () => parseEnv({ NX_CACHE_SERVER_READ_TOKENS: 'short', NX_CACHE_SERVER_PORT: '70000' });
    expect(attempt).toThrow(/NX_CACHE_SERVER_DIR/);
    expect(attempt).toThrow(/at least 16 characters[\s\S]*NX_CACHE_SERVER_READ_TOKENS|NX_CACHE_SERVER_READ_TOKENS[\s\S]*at least 16/);
    expect(attempt).toThrow(/NX_CACHE_SERVER_PORT/);
  });
});
