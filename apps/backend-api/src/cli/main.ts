import { text } from 'node:stream/consumers';
import { databaseNameOf, InvalidEnvError, parseMongoEnv } from '../config/env';
import { CredentialsRepository } from '../auth/credentials-repository';
import { createMongoClient } from '../mongo/create-mongo-client';
import { parseCommand, USAGE, UsageError } from './parse-command';
import { CommandFailedError, runCommand } from './run-command';

/**
 * `node cli/main.js tokens create --name ci --role editor` (in the image: `docker compose exec backend-api node
 * cli/main.js ...`). Passwords come on stdin, never as arguments (they would show in `ps` and shell history).
 */
async function main(argv: string[]): Promise<number> {
  let command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  let env;
  try {
    env = parseMongoEnv(process.env);
  } catch (error) {
    if (!(error instanceof InvalidEnvError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const client = createMongoClient(env, 'posestack-cli');
  try {
    const repository = new CredentialsRepository(client.db(databaseNameOf(env.MONGO_URL)));
    await repository.ensureIndexes();
    await runCommand(command, repository, {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
      readPassword: async () => (await text(process.stdin)).replace(/\r?\n$/, ''),
    });
    return 0;
  } catch (error) {
    if (!(error instanceof CommandFailedError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  } finally {
    await client.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`backend-api cli: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
