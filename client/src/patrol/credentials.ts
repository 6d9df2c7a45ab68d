import { IngestHandshakeAuth } from '@beacon/shared';

/** What a patrol terminal remembers between visits: which device it is and that device's key. */
export type TerminalCredentials = IngestHandshakeAuth;

const storageKey = (unitId: string) => `beacon.patrol.${unitId}`;

/** The device id a unit's terminal is usually registered under: `CAR-BJ-07` for unit `BJ-07`. */
export function suggestedDeviceId(unitId: string): string {
  return `CAR-${unitId}`;
}

/** The credentials stored for this unit's terminal, or null (none, or damaged). */
export function loadCredentials(unitId: string, storage: Storage | null = safeStorage()): TerminalCredentials | null {
  const raw = storage?.getItem(storageKey(unitId));
  if (!raw) return null;
  try {
    const parsed = IngestHandshakeAuth.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveCredentials(
  unitId: string,
  credentials: TerminalCredentials,
  storage: Storage | null = safeStorage(),
): void {
  try {
    storage?.setItem(storageKey(unitId), JSON.stringify(credentials));
  } catch {
    // Private mode or a full quota: the terminal stays signed in for this visit only.
  }
}

export function clearCredentials(unitId: string, storage: Storage | null = safeStorage()): void {
  try {
    storage?.removeItem(storageKey(unitId));
  } catch {
    // Nothing stored, nothing to clear.
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/**
 * Event ids for this page load: a boot id and a counter, so a reloaded terminal never repeats an id the
 * server still remembers (it de-duplicates per device for a day).
 */
export function createEventIds(prefix = 'web', now = Date.now(), random = Math.random): () => string {
  const boot = `${prefix}-${now.toString(36)}${Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0')}`;
  let seq = 0;
  return () => {
    seq += 1;
    return `${boot}-${seq}`;
  };
}
