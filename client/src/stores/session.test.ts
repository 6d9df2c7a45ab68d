import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { SessionInfo } from '@beacon/shared';
import { useSessionStore } from './session.ts';
import { loadToken, saveToken } from '../auth/tokens.ts';

const T0 = Date.parse('2026-11-25T10:00:00+08:00');

function person(role: SessionInfo['role'], expiresAt: number | null = T0 + 3600_000): SessionInfo {
  return { actor: `user:${role}`, name: role, role, jurisdiction: '520500', kind: 'user', expiresAt };
}

describe('session store', () => {
  beforeEach(() => {
    localStorage.clear();
    vi.useFakeTimers({ now: T0 });
    setActivePinia(createPinia());
  });
  afterEach(() => vi.useRealTimers());

  it('offers each command only from the least role COMMAND_ROLES names, and nothing while unknown', () => {
    const store = useSessionStore();
    expect(store.can('situation:snapshot')).toBe(false);
    store.setSession(person('viewer'));
    expect([store.can('situation:snapshot'), store.can('incident:transition')]).toEqual([true, false]);
    store.setSession(person('dispatcher'));
    expect([store.can('dispatch:assign'), store.can('incident:supervise')]).toEqual([true, false]);
    store.setSession(person('supervisor'));
    expect(store.can('incident:supervise')).toBe(true);
  });

  it('ends a person’s session at its expiry and says why', () => {
    saveToken('session', 'tok');
    const store = useSessionStore();
    expect(store.sessionToken).toBe('tok');
    store.setSession(person('dispatcher', T0 + 60_000));
    vi.advanceTimersByTime(59_000);
    expect(store.sessionToken).toBe('tok');
    vi.advanceTimersByTime(2_000);
    expect([store.sessionToken, store.session, store.notice, loadToken('session')]).toEqual([
      null,
      null,
      'expired',
      null,
    ]);
  });

  it('forgets a refused display token as revoked, and keeps the person’s session', () => {
    saveToken('display', 'wall');
    saveToken('session', 'person');
    const store = useSessionStore();
    store.refused('display');
    expect([store.displayToken, store.sessionToken, store.notice]).toEqual([null, 'person', 'displayRevoked']);
  });
});
