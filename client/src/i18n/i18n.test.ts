import { describe, expect, it } from 'vitest';
import { messages } from './messages.ts';
import { translate } from './index.ts';

describe('i18n', () => {
  it('defines every key in both languages', () => {
    expect(Object.keys(messages.en).sort()).toEqual(Object.keys(messages.zh).sort());
  });

  it('fills placeholders', () => {
    expect(translate('console.straightLine', { km: '1.2' }, 'zh')).toBe('直线 1.2 公里');
    expect(translate('console.straightLine', { km: '1.2' }, 'en')).toBe('1.2 km straight line');
  });
});
