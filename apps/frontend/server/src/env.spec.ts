import { InvalidEnvError, parseServerEnv } from './env';

describe('parseServerEnv', () => {
  it('applies defaults around the one required value', () => {
    const env = parseServerEnv({ BACKEND_URL: 'http://backend-api:3000/' });
    expect(env).toMatchObject({ BACKEND_URL: 'http://backend-api:3000', PORT: 5173, HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    expect(env).toMatchObject({ ALLOWED_HOSTS: ['localhost', '127.0.0.1', '[::1]'], TRUST_PROXY: false });
    expect(env.STATIC_DIR).toMatch(/static$/);
  });

  it('names the missing variable', () => {
    expect(() => parseServerEnv({})).toThrow(InvalidEnvError);
    expect(() => parseServerEnv({})).toThrow(/BACKEND_URL/);
  });

  it('rejects a URL that is not http(s) and a port out of range, naming each', () => {
    expect(() => parseServerEnv({ BACKEND_URL: 'mongodb://db:27017' })).toThrow(/http\(s\) URL[\s\S]*BACKEND_URL/);
    expect(() => parseServerEnv({ BACKEND_URL: 'http://x', PORT: '70000' })).toThrow(/PORT/);
  });
});
