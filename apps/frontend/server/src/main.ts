import closeWithGrace from 'close-with-grace';
import { buildServer } from './build-server';
import { InvalidEnvError, parseServerEnv } from './env';

async function start(): Promise<void> {
  const env = parseServerEnv(process.env);
  const app = await buildServer({ env });
  // Docker sends SIGTERM on stop; in-flight uploads get 10 s to finish before the process exits.
  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) app.log.error({ err }, 'frontend server: closing after an error');
    else app.log.info({ signal }, 'frontend server: closing');
    await app.close();
  });
  await app.listen({ port: env.PORT, host: env.HOST });
  app.log.info({ backend: env.BACKEND_URL, staticDir: env.STATIC_DIR }, 'frontend server: serving the page and proxying /api');
}

start().catch((error: unknown) => {
  // Config errors are already readable; anything else keeps its stack for the operator.
  console.error(error instanceof InvalidEnvError ? error.message : error);
  process.exit(1);
});
