import closeWithGrace from 'close-with-grace';
import { buildApp } from './app';
import { InvalidEnvError, parseEnv } from './config/env';

async function main(): Promise<void> {
  let env;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    if (!(error instanceof InvalidEnvError)) throw error;
    console.error(error.message);
    process.exit(2);
  }

  const app = await buildApp(env);

  // SIGTERM/SIGINT (docker stop, compose down): stop taking requests, hand the running video job back to the
  // queue, close the Mongo client. The delay stays under docker's 10 s grace before SIGKILL.
  closeWithGrace({ delay: 8000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an uncaught error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });

  await app.listen({ host: env.HOST, port: env.PORT });
}

void main();
