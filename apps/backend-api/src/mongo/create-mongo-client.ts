import { MongoClient } from 'mongodb';
import type { MongoEnv } from '../config/env';

/** The API and the CLI connect the same way; credentials go in as options, never into the (loggable) URL. */
export function createMongoClient(env: MongoEnv, appName: string): MongoClient {
  return new MongoClient(env.MONGO_URL, {
    serverSelectionTimeoutMS: env.MONGO_SERVER_SELECTION_TIMEOUT_MS,
    // After a database restart the driver only learns the server is back from its monitor: a 10 s heartbeat
    // (the default) and a 30 s connect timeout kept the API at 503 for up to half a minute (fault-injection.spec).
    heartbeatFrequencyMS: 1000,
    connectTimeoutMS: env.MONGO_SERVER_SELECTION_TIMEOUT_MS,
    // FerretDB (the air-gapped stand-in) has no retryable writes; MongoDB does not need them for single-doc ops.
    retryWrites: false,
    appName,
    ...(env.MONGO_USERNAME && env.MONGO_PASSWORD ? { auth: { username: env.MONGO_USERNAME, password: env.MONGO_PASSWORD } } : {}),
  });
}
