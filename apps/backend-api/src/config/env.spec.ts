import { databaseNameOf, parseEnv } from './env';

const required = { MONGO_URL: 'mongodb://localhost:27017/posestack', POSE_SERVICE_URL: 'http://localhost:5000' };

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
