import { parseArgs } from 'node:util';
import { RoleSchema, type Role } from '@posestack/api-contracts';

export type Command =
  | { kind: 'tokens create'; name: string; role: Role }
  | { kind: 'tokens list' }
  | { kind: 'tokens revoke'; idOrName: string }
  | { kind: 'users create'; username: string; role: Role }
  | { kind: 'users list' }
  | { kind: 'users set-password'; username: string }
  | { kind: 'users set-role'; username: string; role: Role }
  | { kind: 'users delete'; username: string };

export const USAGE = `usage: node cli/main.js <command>   (MONGO_URL, and MONGO_USERNAME/MONGO_PASSWORD[_FILE] if the database needs them)
  tokens create --name <name> --role viewer|editor   prints the new API token (once; only its hash is stored)
  tokens list
  tokens revoke <id|name>                            stops the token(s) at once
  users create --username <name> --role viewer|editor   reads the password from stdin
  users list
  users set-password <name>                          reads the new password from stdin; ends the user's sessions
  users set-role <name> --role viewer|editor         ends the user's sessions
  users delete <name>`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function readRole(value: string | undefined): Role {
  const parsed = RoleSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--role must be one of ${RoleSchema.options.join(', ')} (got ${value === undefined ? 'nothing' : JSON.stringify(value)})`);
  return parsed.data;
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

/** argv (after `node main.js`) -> one command; every mistake names the option and what was expected. */
export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { name: { type: 'string' }, role: { type: 'string' }, username: { type: 'string' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const { values, positionals } = parsed;
  const [group, action, subject, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  switch (`${group} ${action}`) {
    case 'tokens create':
      return { kind: 'tokens create', name: required(values.name, '--name <name>'), role: readRole(values.role) };
    case 'tokens list':
      return { kind: 'tokens list' };
    case 'tokens revoke':
      return { kind: 'tokens revoke', idOrName: required(subject, 'the token id or name') };
    case 'users create':
      return { kind: 'users create', username: required(values.username, '--username <name>'), role: readRole(values.role) };
    case 'users list':
      return { kind: 'users list' };
    case 'users set-password':
      return { kind: 'users set-password', username: required(subject, 'the user name') };
    case 'users set-role':
      return { kind: 'users set-role', username: required(subject, 'the user name'), role: readRole(values.role) };
    case 'users delete':
      return { kind: 'users delete', username: required(subject, 'the user name') };
    default:
      throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  }
}
