import fp from 'fastify-plugin';
import { MongoClient, type Db } from 'mongodb';
import { databaseNameOf } from '../../config/env';

declare module 'fastify' {
  interface FastifyInstance {
    mongo: { client: MongoClient; db: Db };
  }
}

/**
 * The one MongoClient. Start-up does not depend on the database: the API listens (and answers 503) while it is
 * down. Once connected, the driver reconnects by itself; but a *failed first* connect leaves the client closed
 * for good (operations then throw MongoTopologyClosedError), so that first connect is retried here until it
 * succeeds.
 */
export default fp(
  async (app) => {
    const { MONGO_URL, MONGO_SERVER_SELECTION_TIMEOUT_MS, MONGO_CONNECT_RETRY_MS } = app.config;
    const client = new MongoClient(MONGO_URL, {
      serverSelectionTimeoutMS: MONGO_SERVER_SELECTION_TIMEOUT_MS,
      // After a database restart the driver only learns the server is back from its monitor: a 10 s heartbeat
      // (the default) and a 30 s connect timeout kept the API at 503 for up to half a minute (fault-injection.spec).
      heartbeatFrequencyMS: 1000,
      connectTimeoutMS: MONGO_SERVER_SELECTION_TIMEOUT_MS,
      // FerretDB (the air-gapped stand-in) has no retryable writes; MongoDB does not need them for single-doc ops.
      retryWrites: false,
      appName: 'posestack-backend-api',
    });
    app.decorate('mongo', { client, db: client.db(databaseNameOf(MONGO_URL)) });

    let retryTimer: NodeJS.Timeout | undefined;
    let isClosing = false;
    const connect = async (): Promise<void> => {
      try {
        await client.connect();
        app.log.info('connected to MongoDB');
      } catch (error) {
        if (isClosing) return;
        app.log.warn({ err: error }, `MongoDB is unreachable; retrying in ${MONGO_CONNECT_RETRY_MS} ms`);
        retryTimer = setTimeout(() => void connect(), MONGO_CONNECT_RETRY_MS);
      }
    };

    // Awaited once (bounded by the server selection timeout) so a healthy start has its connection ready.
    app.addHook('onReady', connect);
    app.addHook('onClose', async () => {
      isClosing = true;
      clearTimeout(retryTimer);
      await client.close();
    });
  },
  { name: 'mongo', dependencies: ['config'] },
);
