import { HealthResponseSchema } from '@posestack/api-contracts';
import { MongoClient } from 'mongodb';
import { basicAuth, given, itWhen, missing, poseAuth, state } from '../support/stack-test';

const { urls } = state;

describe('health endpoints', () => {
  itWhen(missing({ poseService: urls.poseService }), 'pose-service GET /health reports its device and models', async () => {
    const response = await fetch(`${urls.poseService}/health`, { headers: poseAuth() });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(typeof body['device']).toBe('string');
    expect(body['device']).toMatch(/^(cpu|cuda(:\d+)?)$/);
  });

  itWhen(missing({ backend: urls.backend }), 'backend-api GET /health: mongo up, pose-service up with its device', async () => {
    const response = await fetch(`${urls.backend}/health`);
    const body = HealthResponseSchema.parse(await response.json());
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', mongo: 'up', poseService: { status: 'up' } });
    expect(body.poseService.device).toMatch(/^(cpu|cuda(:\d+)?)$/);
  });

  itWhen(missing({ frontend: urls.frontend }), 'frontend GET /health answers 200 and serves the page', async () => {
    expect((await fetch(`${urls.frontend}/health`)).status).toBe(200);
    const page = await fetch(`${urls.frontend}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toMatch(/<script[^>]+type="module"/);
  });

  itWhen(missing({ mongo: urls.mongo }), 'MongoDB answers ping through the mongodb driver', async () => {
    const client = new MongoClient(given(urls.mongo, 'MONGO_URL'), { serverSelectionTimeoutMS: 10_000 });
    try {
      await client.connect();
      expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    } finally {
      await client.close();
    }
  });

  itWhen(
    missing({ mongoExpress: urls.mongoExpress }) ??
      (state.mongoExpressAuth ? undefined : 'no Mongo Express credentials (MONGO_EXPRESS_USER/MONGO_EXPRESS_PASSWORD)'),
    'Mongo Express answers: 401 without the login, its page with it',
    async () => {
      expect((await fetch(`${urls.mongoExpress}/`)).status).toBe(401);
      const page = await fetch(`${urls.mongoExpress}/`, { headers: basicAuth(state.mongoExpressAuth) });
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/Mongo Express/i);
    },
  );
});
