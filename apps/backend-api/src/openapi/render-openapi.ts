import { join } from 'node:path';
import { buildApp } from '../app';
import { parseEnv } from '../config/env';

export const OPENAPI_PATH = join(__dirname, '..', '..', 'openapi.json');

/** The document from the real app's routes; nothing is reachable (the database is never connected). */
export async function renderOpenApi(): Promise<string> {
  const app = await buildApp(
    parseEnv({
      LOG_LEVEL: 'silent',
      MONGO_URL: 'mongodb://127.0.0.1:9/posestack',
      MONGO_SERVER_SELECTION_TIMEOUT_MS: '1',
      POSE_SERVICE_URL: 'http://127.0.0.1:9',
      POSE_SERVICE_TOKEN: 'x'.repeat(32),
      JOB_WORKER_ENABLED: '0',
    }),
  );
  try {
    await app.ready();
    return `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await app.close();
  }
}
