import type { CredentialsRepository } from '../auth/credentials-repository';
import { checkPasswordStrength, hashPassword } from '../auth/passwords';
import type { Command } from './parse-command';

export interface CliIo {
  /** What a script captures (the new token, the lists). */
  out(line: string): void;
  /** What a person reads (confirmations). */
  err(line: string): void;
  readPassword(): Promise<string>;
}

export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
}

async function readStrongPassword(io: CliIo): Promise<string> {
  const password = await io.readPassword();
  const weakness = checkPasswordStrength(password);
  if (weakness) throw new CommandFailedError(weakness);
  return password;
}

export async function runCommand(command: Command, repository: CredentialsRepository, io: CliIo): Promise<void> {
  switch (command.kind) {
    case 'tokens create': {
      const { token, summary } = await repository.createToken(command.name, command.role);
      io.err(`created ${summary.role} token "${summary.name}" (id ${summary.id}); it is shown once, store it now:`);
      io.out(token);
      return;
    }
    case 'tokens list':
      for (const token of await repository.listTokens()) {
        io.out([token.id, token.name, token.role, token.createdAt.toISOString()].join('\t'));
      }
      return;
    case 'tokens revoke': {
      const count = await repository.revokeTokens(command.idOrName);
      if (count === 0) throw new CommandFailedError(`no token with the id or name "${command.idOrName}"`);
      io.err(`revoked ${count} token${count === 1 ? '' : 's'}`);
      return;
    }
    case 'users create': {
      if (await repository.findUser(command.username)) throw new CommandFailedError(`user "${command.username}" exists already`);
      await repository.createUser(command.username, await hashPassword(await readStrongPassword(io)), command.role);
      io.err(`created ${command.role} "${command.username}"`);
      return;
    }
    case 'users list':
      for (const user of await repository.listUsers()) {
        io.out([user.username, user.role, user.createdAt.toISOString()].join('\t'));
      }
      return;
    case 'users set-password': {
      const passwordHash = await hashPassword(await readStrongPassword(io));
      if (!(await repository.updateUser(command.username, { passwordHash }))) throw new CommandFailedError(`no user "${command.username}"`);
      io.err(`changed the password of "${command.username}"; their sessions are ended`);
      return;
    }
    case 'users set-role':
      if (!(await repository.updateUser(command.username, { role: command.role }))) throw new CommandFailedError(`no user "${command.username}"`);
      io.err(`"${command.username}" is now a ${command.role}; their sessions are ended`);
      return;
    case 'users delete':
      if (!(await repository.deleteUser(command.username))) throw new CommandFailedError(`no user "${command.username}"`);
      io.err(`deleted "${command.username}" and their sessions`);
      return;
  }
}
