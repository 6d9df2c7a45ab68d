import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { COMMAND_ROLES, hasRole, type OpsCommandName, type SessionInfo, type WireError } from '@beacon/shared';
import { login, logout } from '../auth/api.ts';
import { clearToken, loadToken, saveToken, tokenKindOfStorageKey, type TokenKind } from '../auth/tokens.ts';

/** Why a screen is back at its sign-in prompt, to say so there. */
export type SignInNotice = 'expired' | 'displayRevoked' | 'signedOut';

/** setTimeout's ceiling (about 24.8 days); a longer session is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Who this browser is signed in as: the person's session token and the wall's display token (both kept in
 * localStorage), the `SessionInfo` of the connection in use, and what it may do (`can`, from the shared
 * `COMMAND_ROLES`; the server decides anyway). A session ends at its `expiresAt`, on 退出, or when the server
 * refuses its token; the screen then returns to its sign-in prompt with `notice` saying why.
 */
export const useSessionStore = defineStore('session', () => {
  const sessionToken = ref<string | null>(loadToken('session'));
  const displayToken = ref<string | null>(loadToken('display'));
  /** Who the open `/ops` connection is signed in as; null until the server said so. */
  const session = shallowRef<SessionInfo | null>(null);
  const notice = ref<SignInNotice | null>(null);
  let expiryTimer = 0;

  function tokenRef(kind: TokenKind) {
    return kind === 'session' ? sessionToken : displayToken;
  }

  function forget(kind: TokenKind): void {
    clearToken(kind);
    tokenRef(kind).value = null;
    if (kind === 'session' && session.value?.kind === 'user') setSession(null);
    if (kind === 'display' && session.value?.kind === 'display') setSession(null);
  }

  /** The server told us who we are (`session:info`, or a login); a person's session ends at its expiry. */
  function setSession(info: SessionInfo | null, serverSkewMs = 0): void {
    session.value = info;
    clearTimeout(expiryTimer);
    if (info?.kind !== 'user' || info.expiresAt === null) return;
    const left = info.expiresAt - (Date.now() + serverSkewMs);
    expiryTimer = window.setTimeout(
      () => {
        if (session.value !== info) return;
        if (info.expiresAt! - (Date.now() + serverSkewMs) > 0) setSession(info, serverSkewMs);
        else expire();
      },
      Math.min(Math.max(0, left), MAX_TIMER_MS),
    );
  }

  /** Sign a person in; null when signed in, else the server's refusal to show. */
  async function signIn(username: string, password: string): Promise<WireError | null> {
    const answer = await login(username.trim(), password);
    if (!answer.ok) return answer.error;
    saveToken('session', answer.data.token);
    sessionToken.value = answer.data.token;
    notice.value = null;
    setSession(answer.data.session);
    return null;
  }

  /** 退出: end the session on the server too (whatever it answers, this browser forgets the token). */
  async function signOut(): Promise<void> {
    const token = sessionToken.value;
    forget('session');
    notice.value = 'signedOut';
    if (token) await logout(token);
  }

  /** The person's session ran out. */
  function expire(): void {
    forget('session');
    notice.value = 'expired';
  }

  /** The server refused a token at connect (UNAUTHORIZED): expired, logged out elsewhere, or revoked. */
  function refused(kind: TokenKind): void {
    forget(kind);
    notice.value = kind === 'display' ? 'displayRevoked' : 'expired';
  }

  /** Whether the signed-in session's role may send this command (false while unknown). */
  function can(command: OpsCommandName): boolean {
    return session.value !== null && hasRole(session.value.role, COMMAND_ROLES[command]);
  }

  // Another tab signed in or out: follow it.
  if (typeof window !== 'undefined') {
    window.addEventListener('storage', (event) => {
      const kind = tokenKindOfStorageKey(event.key);
      if (!kind) return;
      tokenRef(kind).value = loadToken(kind);
      if (!tokenRef(kind).value) forget(kind);
    });
  }

  return { sessionToken, displayToken, session, notice, setSession, signIn, signOut, refused, can };
});
