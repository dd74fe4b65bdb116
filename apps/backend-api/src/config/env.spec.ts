import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseNameOf, parseEnv, parseMongoEnv } from './env';

const token = 'x'.repeat(32);
const required = { MONGO_URL: 'mongodb://localhost:27017/posestack', POSE_SERVICE_URL: 'http://localhost:5000', POSE_SERVICE_TOKEN: token };

describe('parseEnv', () => {
  it('applies defaults, PORT 3001 first', () => {
    const env = parseEnv(required);
    expect(env.PORT).toBe(3001);
    expect(env.MAX_VIDEO_BYTES).toBe(25 * 1024 * 1024);
    expect(env.JOB_WORKER_ENABLED).toBe(true);
  });

  it('names every bad variable in one message', () => {
    expect(() => parseEnv({ MONGO_URL: 'http://x', PORT: 'abc' })).toThrow(/MONGO_URL[\s\S]*POSE_SERVICE_URL|PORT/);
    try {
      parseEnv({ MONGO_URL: 'http://x', PORT: 'abc' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('MONGO_URL');
      expect(message).toContain('POSE_SERVICE_URL');
      expect(message).toContain('PORT');
    }
  });

  it('is closed by default: loopback, no anonymous access, no trusted proxy, no foreign origin', () => {
    expect(parseEnv(required)).toMatchObject({
      HOST: '127.0.0.1',
      AUTH_ANONYMOUS_ROLE: 'none',
      TRUST_PROXY: false,
      ALLOWED_HOSTS: ['localhost', '127.0.0.1', '[::1]'],
      ALLOWED_ORIGINS: [],
    });
  });

  it('reads TRUST_PROXY as a flag or a list of addresses', () => {
    expect(parseEnv({ ...required, TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(parseEnv({ ...required, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });

  it('refuses a short service token and a username without a password, naming them', () => {
    expect(() => parseEnv({ ...required, POSE_SERVICE_TOKEN: 'short' })).toThrow(/32 characters[\s\S]*POSE_SERVICE_TOKEN/);
    expect(() => parseEnv({ ...required, MONGO_USERNAME: 'api' })).toThrow(/MONGO_PASSWORD/);
  });

  it('reads secrets from NAME_FILE (compose secrets), and refuses both forms at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-spec-'));
    try {
      writeFileSync(join(dir, 'password'), 's3cret-password\n');
      const env = parseMongoEnv({ MONGO_URL: required.MONGO_URL, MONGO_USERNAME: 'api', MONGO_PASSWORD_FILE: join(dir, 'password') });
      expect(env.MONGO_PASSWORD).toBe('s3cret-password');
      expect(() => parseEnv({ ...required, POSE_SERVICE_TOKEN_FILE: join(dir, 'password') })).toThrow(/not both/);
      expect(() => parseMongoEnv({ ...required, MONGO_PASSWORD_FILE: join(dir, 'missing') })).toThrow(/MONGO_PASSWORD_FILE=.*cannot be read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads booleans the way compose files write them', () => {
    expect(parseEnv({ ...required, JOB_WORKER_ENABLED: 'false' }).JOB_WORKER_ENABLED).toBe(false);
  });
});

describe('databaseNameOf', () => {
  it('takes the path, or posestack', () => {
    expect(databaseNameOf('mongodb://h:27017/analyses?retryWrites=false')).toBe('analyses');
    expect(databaseNameOf('mongodb://h:27017')).toBe('posestack');
    expect(databaseNameOf('mongodb+srv://u:p@cluster.example/')).toBe('posestack');
  });
});
