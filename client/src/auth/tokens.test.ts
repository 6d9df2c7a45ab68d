import { beforeEach, describe, expect, it } from 'vitest';
import { adoptDisplayLink, clearToken, loadToken, saveToken, tokenKindOfStorageKey } from './tokens.ts';

describe('tokens kept by the browser', () => {
  beforeEach(() => localStorage.clear());

  it('keeps a session token and a display token apart, and forgets each on its own', () => {
    saveToken('session', 'person');
    saveToken('display', 'wall');
    expect([loadToken('session'), loadToken('display')]).toEqual(['person', 'wall']);
    clearToken('session');
    expect([loadToken('session'), loadToken('display')]).toEqual([null, 'wall']);
    expect(tokenKindOfStorageKey('beacon.display')).toBe('display');
    expect(tokenKindOfStorageKey('beacon.locale')).toBeNull();
  });

  it('takes ?display= from the address once, keeps it and removes it from the address bar', () => {
    const replaced: string[] = [];
    const history = {
      state: { back: null },
      replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url),
    };
    const token = adoptDisplayLink({ href: 'http://wall.local/?lang=en&display=tok_123#x' }, history);
    expect(token).toBe('tok_123');
    expect(loadToken('display')).toBe('tok_123');
    expect(replaced).toEqual(['/?lang=en#x']);

    expect(adoptDisplayLink({ href: 'http://wall.local/?lang=en' }, history)).toBeNull();
    expect(replaced).toHaveLength(1);
  });
});
