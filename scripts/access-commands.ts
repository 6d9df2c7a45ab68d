import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { NewUser, ROLES, describeZodError } from '../shared/src/index.ts';
import { createAccessKeys, createAccessStore } from '../server/src/auth/access-store.ts';

export const ACCESS_USAGE = `  users:add <username> --role ${ROLES.join('|')} --jurisdiction <adcode> [--name <display name>] [--replace]
      add a person; the password is read from BEACON_PASSWORD or prompted on stdin (≥ 10 characters)
  users:list
      list people with their role and jurisdiction
  users:disable <username> | users:enable <username>
      lock an account out (its sessions stop working at once) or let it in again
  display:add <name> --jurisdiction <adcode>
      create a read-only wall display token (printed once); open the wall at /?display=<token>
  display:revoke <name>
      revoke a wall display token`;

export class AccessUsageError extends Error {}

async function readPassword(): Promise<string> {
  if (process.env.BEACON_PASSWORD) return process.env.BEACON_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8').split('\n')[0]!.trim();
}

/** `users:*` and `display:*`: people and wall displays (docs: README "Access"). Returns false for other commands. */
export async function runAccessCommand(
  command: string,
  args: string[],
  redis: Redis,
  prefix: string,
): Promise<boolean> {
  if (!command.startsWith('users:') && !command.startsWith('display:')) return false;
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      jurisdiction: { type: 'string' },
      name: { type: 'string' },
      replace: { type: 'boolean', default: false },
    },
  });
  const store = createAccessStore({ redis, keys: createAccessKeys(prefix) });
  const name = positionals[0];
  switch (command) {
    case 'users:add': {
      const parsed = NewUser.safeParse({
        username: name,
        password: await readPassword(),
        role: values.role,
        jurisdiction: values.jurisdiction,
        displayName: values.name,
      });
      if (!parsed.success) throw new AccessUsageError(describeZodError(parsed.error));
      const user = await store.addUser(parsed.data, Date.now(), { replace: values.replace });
      console.log(`added ${user.username} (${user.role}, jurisdiction ${user.jurisdiction})`);
      return true;
    }
    case 'users:list':
      for (const u of await store.listUsers()) {
        console.log(
          `${u.username}\t${u.role}\t${u.jurisdiction}\t${u.disabled ? 'disabled' : 'enabled'}\t${u.displayName}`,
        );
      }
      return true;
    case 'users:disable':
    case 'users:enable':
      if (!name) throw new AccessUsageError(`${command} <username>`);
      await store.setDisabled(name, command === 'users:disable');
      console.log(`${name} ${command === 'users:disable' ? 'disabled' : 'enabled'}`);
      return true;
    case 'display:add': {
      if (!name || !/^[\w.-]{1,64}$/.test(name))
        throw new AccessUsageError('display:add <name> (letters, digits, _ . -)');
      if (!values.jurisdiction || !/^\d{6}$/.test(values.jurisdiction)) {
        throw new AccessUsageError('--jurisdiction <6-digit adcode>');
      }
      const { token } = await store.addDisplay(name, values.jurisdiction);
      console.log(`display ${name}: open the wall at /?display=${token}`);
      return true;
    }
    case 'display:revoke':
      if (!name) throw new AccessUsageError('display:revoke <name>');
      console.log((await store.revokeDisplay(name)) ? `revoked ${name}` : `no display ${name}`);
      return true;
    default:
      throw new AccessUsageError(`unknown command ${command}`);
  }
}
