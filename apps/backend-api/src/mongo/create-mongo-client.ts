import { MongoClient } from 'mongodb';
import type { MongoEnv } from '../config/env';

/** The API and the CLI connect the same way; credentials go in as options, never into the (loggable) URL. */
export function createMongoClient(env: MongoEnv, appName: string): MongoClient {
  return new MongoClient(env.MONGO_URL, {
    serverSelectionTimeoutMS: env.MONGO_SERVER_SELECTION_TIMEOUT_MS,
    // FerretDB (the air-gapped stand-in) has no retryable writes; MongoDB does not need them for single-doc ops.
    retryWrites: false,
    appName,
    ...(env.MONGO_USERNAME && env.MONGO_PASSWORD ? { auth: { username: env.MONGO_USERNAME, password: env.MONGO_PASSWORD } } : {}),
  });
}
