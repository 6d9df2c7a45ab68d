/**
 * The bearer tokens a browser keeps: a person's session token (shared by the console and the wall, like a
 * cookie, until 退出) and a wall display's long-lived read-only token (the wall only).
 */
export type TokenKind = 'session' | 'display';

const STORAGE_KEYS: Record<TokenKind, string> = {
  session: 'beacon.session',
  display: 'beacon.display',
};

/** The query parameter of a display link: `https://beacon/?display=<token>`. */
export const DISPLAY_PARAM = 'display';

/** The stored token of this kind, or null. */
export function loadToken(kind: TokenKind, storage: Storage | null = safeStorage()): string | null {
  try {
    const token = storage?.getItem(STORAGE_KEYS[kind]) ?? null;
    return token && token.length <= 200 ? token : null;
  } catch {
    return null;
  }
}

export function saveToken(kind: TokenKind, token: string, storage: Storage | null = safeStorage()): void {
  try {
    storage?.setItem(STORAGE_KEYS[kind], token);
  } catch {
    // Private mode or a full quota: signed in for this page load only.
  }
}

export function clearToken(kind: TokenKind, storage: Storage | null = safeStorage()): void {
  try {
    storage?.removeItem(STORAGE_KEYS[kind]);
  } catch {
    // Nothing stored, nothing to clear.
  }
}

/** Which token kind a `storage` event concerns, if any (another tab signed in or out). */
export function tokenKindOfStorageKey(key: string | null): TokenKind | null {
  if (key === null) return null;
  return (Object.keys(STORAGE_KEYS) as TokenKind[]).find((kind) => STORAGE_KEYS[kind] === key) ?? null;
}

/**
 * Take a display token from the address (`?display=<token>`) once: keep it, and take it out of the address
 * bar with `history.replaceState`, so it is neither bookmarked nor shown on the wall nor sent as a referrer.
 * Run before the router reads the address. Returns the token taken, or null.
 */
export function adoptDisplayLink(
  loc: Pick<Location, 'href'> = location,
  history: Pick<History, 'replaceState' | 'state'> = window.history,
  storage: Storage | null = safeStorage(),
): string | null {
  const url = new URL(loc.href);
  const token = url.searchParams.get(DISPLAY_PARAM);
  if (token === null) return null;
  url.searchParams.delete(DISPLAY_PARAM);
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
  const trimmed = token.trim();
  if (!trimmed || trimmed.length > 200) return null;
  saveToken('display', trimmed, storage);
  return trimmed;
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
