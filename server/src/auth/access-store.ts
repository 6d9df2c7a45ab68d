import { createHash, randomBytes } from 'node:crypto';
import { BeaconError, Role, type NewUser, type SessionInfo } from '@beacon/shared';
import type { Redis } from 'ioredis';
import { hashPassword, verifyPassword } from './passwords.ts';

/** Redis keys of people, sessions and display tokens: always under the live prefix, shared by drill servers. */
export function createAccessKeys(prefix: string) {
  return {
    userIds: `${prefix}:users`,
    user: (username: string) => `${prefix}:user:${username.toLowerCase()}`,
    /** A session or display token, by the SHA-256 of the token (the token itself is never stored). */
    session: (tokenHash: string) => `${prefix}:session:${tokenHash}`,
    displayIds: `${prefix}:displays`,
    /** Pub/sub channel: `token:<sha256>` or `actor:<actor>` of sessions that just ended, so servers cut their sockets. */
    sessionsEnded: `${prefix}:sessions:ended`,
    /** Failed logins per username and per client address in the current window. */
    loginFailures: (who: string) => `${prefix}:login:fail:${who}`,
  };
}
export type AccessKeys = ReturnType<typeof createAccessKeys>;

export interface StoredUser {
  username: string;
  displayName: string;
  role: Role;
  jurisdiction: string;
  createdAt: number;
  disabled: boolean;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new bearer token: 32 random bytes, base64url. */
function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * People and screens allowed on `/ops` and the HTTP API: users with a scrypt password hash, sessions with an
 * expiry (Redis TTL), and display tokens for wall screens (read-only, no expiry, revocable). Only hashes of
 * tokens are stored.
 */
export function createAccessStore({ redis, keys }: { redis: Redis; keys: AccessKeys }) {
  async function getUser(username: string): Promise<(StoredUser & { passwordHash: string }) | null> {
    const hash = await redis.hgetall(keys.user(username));
    if (!hash.username || !hash.passwordHash) return null;
    const role = Role.safeParse(hash.role);
    if (!role.success) return null;
    return {
      username: hash.username,
      displayName: hash.displayName || hash.username,
      role: role.data,
      jurisdiction: hash.jurisdiction ?? '',
      createdAt: Number(hash.createdAt),
      disabled: hash.disabled === '1',
      passwordHash: hash.passwordHash,
    };
  }

  async function storeSession(session: SessionInfo, ttlS: number | null): Promise<string> {
    const token = newToken();
    const key = keys.session(tokenHash(token));
    if (ttlS === null) await redis.set(key, JSON.stringify(session));
    else await redis.set(key, JSON.stringify(session), 'EX', ttlS);
    return token;
  }

  return {
    getUser,
    /** The channel on which ended sessions are announced (see `sessionsEnded`). */
    endedChannel: keys.sessionsEnded,

    /** Add (or with `replace`, replace) a user. */
    async addUser(user: NewUser, now: number, { replace = false } = {}): Promise<StoredUser> {
      if (!replace && (await redis.exists(keys.user(user.username)))) {
        throw new BeaconError('CONFLICT', `user ${user.username} exists; pass --replace to replace it`);
      }
      const stored: StoredUser = {
        username: user.username.toLowerCase(),
        displayName: user.displayName ?? user.username,
        role: user.role,
        jurisdiction: user.jurisdiction,
        createdAt: now,
        disabled: false,
      };
      await redis
        .multi()
        .hset(keys.user(user.username), {
          ...stored,
          createdAt: String(now),
          disabled: '0',
          passwordHash: await hashPassword(user.password),
        })
        .sadd(keys.userIds, stored.username)
        .exec();
      return stored;
    },

    async listUsers(): Promise<StoredUser[]> {
      const names = (await redis.smembers(keys.userIds)).sort();
      const users = await Promise.all(names.map((n) => getUser(n)));
      return users.flatMap((u) => (u ? [{ ...u, passwordHash: undefined } as unknown as StoredUser] : []));
    },

    async setDisabled(username: string, disabled: boolean): Promise<void> {
      if (!(await redis.exists(keys.user(username)))) throw new BeaconError('NOT_FOUND', `no user ${username}`);
      await redis.hset(keys.user(username), 'disabled', disabled ? '1' : '0');
      if (disabled) await redis.publish(keys.sessionsEnded, `actor:user:${username.toLowerCase()}`);
    },

    /** Check a password; the user when it matches and the account is enabled, else null. */
    async checkPassword(username: string, password: string): Promise<StoredUser | null> {
      const user = await getUser(username);
      if (!user || user.disabled) {
        // Spend the same time on unknown users, so timing does not tell which names exist.
        await verifyPassword(
          password,
          'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        );
        return null;
      }
      return (await verifyPassword(password, user.passwordHash)) ? user : null;
    },

    /** Open a session for a user; the token expires after `ttlS` seconds. */
    async openSession(user: StoredUser, now: number, ttlS: number): Promise<{ token: string; session: SessionInfo }> {
      const session: SessionInfo = {
        actor: `user:${user.username}`,
        name: user.displayName,
        role: user.role,
        jurisdiction: user.jurisdiction,
        kind: 'user',
        expiresAt: now + ttlS * 1000,
      };
      return { token: await storeSession(session, ttlS), session };
    },

    /** A read-only token for a wall display: role viewer, no expiry, revoked with `revokeDisplay`. */
    async addDisplay(name: string, jurisdiction: string): Promise<{ token: string; session: SessionInfo }> {
      const session: SessionInfo = {
        actor: `display:${name}`,
        name,
        role: 'viewer',
        jurisdiction,
        kind: 'display',
        expiresAt: null,
      };
      const token = await storeSession(session, null);
      await redis.hset(keys.displayIds, name, tokenHash(token));
      return { token, session };
    },

    async revokeDisplay(name: string): Promise<boolean> {
      const hash = await redis.hget(keys.displayIds, name);
      if (!hash) return false;
      await redis.multi().del(keys.session(hash)).hdel(keys.displayIds, name).exec();
      await redis.publish(keys.sessionsEnded, `token:${hash}`);
      return true;
    },

    /** The session a bearer token stands for, or null (unknown, expired, logged out, or its user disabled). */
    async sessionOf(token: string): Promise<SessionInfo | null> {
      if (!token || token.length > 200) return null;
      const json = await redis.get(keys.session(tokenHash(token)));
      if (!json) return null;
      const session = JSON.parse(json) as SessionInfo;
      if (session.kind === 'user') {
        const username = session.actor.slice('user:'.length);
        if ((await redis.hget(keys.user(username), 'disabled')) !== '0') return null;
      }
      return session;
    },

    async closeSession(token: string): Promise<void> {
      await redis.del(keys.session(tokenHash(token)));
      await redis.publish(keys.sessionsEnded, `token:${tokenHash(token)}`);
    },

    /** Count a failed login for each key; the highest count in the window. */
    async countFailure(who: string[], windowS: number): Promise<number> {
      const pipeline = redis.pipeline();
      for (const w of who) pipeline.incr(keys.loginFailures(w)).expire(keys.loginFailures(w), windowS, 'NX');
      const results = (await pipeline.exec()) ?? [];
      return Math.max(0, ...results.filter((_, i) => i % 2 === 0).map(([, n]) => Number(n)));
    },

    async failures(who: string[]): Promise<number> {
      const counts = await Promise.all(who.map((w) => redis.get(keys.loginFailures(w))));
      return Math.max(0, ...counts.map((c) => Number(c ?? 0)));
    },
  };
}
export type AccessStore = ReturnType<typeof createAccessStore>;
