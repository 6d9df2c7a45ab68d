import { BeaconError, type Clock, type LoginCommand, type LoginResult, type SessionInfo } from '@beacon/shared';
import type { Logger } from '../log.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { AccessStore } from './access-store.ts';

/** Failed logins allowed per username and per client address in one window before logins are refused. */
const MAX_FAILURES = 10;
const FAILURE_WINDOW_S = 15 * 60;

/**
 * Logins and sessions: a password login opens a session (Redis, `sessionTtlS`), a bearer token (or a display
 * token) authenticates every `/ops` connection and API call. Repeated failures per name or address are
 * refused with RATE_LIMITED; every login and logout is audited; passwords and tokens never reach the log.
 */
export function createAuth(deps: {
  store: AccessStore;
  clock: Clock;
  log: Logger;
  audit: AuditLog;
  sessionTtlS: number;
}) {
  const { store, clock, log, audit, sessionTtlS } = deps;

  return {
    async login(command: LoginCommand, clientAddress: string): Promise<LoginResult> {
      const who = [`user:${command.username.toLowerCase()}`, `addr:${clientAddress}`];
      if ((await store.failures(who)) >= MAX_FAILURES) {
        throw new BeaconError('RATE_LIMITED', 'too many failed logins; wait 15 minutes');
      }
      const user = await store.checkPassword(command.username, command.password);
      if (!user) {
        await store.countFailure(who, FAILURE_WINDOW_S);
        log.warn({ username: command.username, clientAddress }, 'login refused');
        throw new BeaconError('UNAUTHORIZED', 'wrong username or password, or the account is disabled');
      }
      const now = clock.now();
      const opened = await store.openSession(user, now, sessionTtlS);
      await audit.append('auth:login', opened.session.actor, now, { clientAddress });
      return opened;
    },

    async logout(token: string): Promise<void> {
      const session = await store.sessionOf(token);
      await store.closeSession(token);
      if (session) await audit.append('auth:logout', session.actor, clock.now(), {});
    },

    /** The session behind a bearer token, or UNAUTHORIZED. */
    async authenticate(token: string | undefined | null): Promise<SessionInfo> {
      const session = token ? await store.sessionOf(token) : null;
      if (!session) throw new BeaconError('UNAUTHORIZED', 'sign in first: the session is missing, expired or revoked');
      return session;
    },
  };
}
export type Auth = ReturnType<typeof createAuth>;
