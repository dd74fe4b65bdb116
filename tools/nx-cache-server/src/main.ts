import closeWithGrace from 'close-with-grace';
import { buildApp } from './app';
import { InvalidEnvError, parseEnv } from './config/env';
import { CacheStore } from './store/cache-store';

async function main(): Promise<void> {
  let env;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    if (!(error instanceof InvalidEnvError)) throw error;
    console.error(error.message);
    process.exit(2);
  }

  const store = await CacheStore.open(env.NX_CACHE_SERVER_DIR);
  const app = await buildApp({
    store,
    tokens: { readWrite: env.NX_CACHE_SERVER_READ_WRITE_TOKENS, read: env.NX_CACHE_SERVER_READ_TOKENS },
    maxEntryBytes: env.NX_CACHE_SERVER_MAX_ENTRY_BYTES,
    logLevel: env.LOG_LEVEL,
  });

  // An upload cut by SIGTERM leaves only a file in incoming/, which the next start removes.
  closeWithGrace({ delay: 5000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an uncaught error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });

  await app.listen({ host: env.NX_CACHE_SERVER_HOST, port: env.NX_CACHE_SERVER_PORT });
}

void main();
