import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manualClock, type StationAlertState, type WeatherObserved } from '@beacon/shared';
import {
  describePersistence,
  docTableRows,
  parseDocTable,
  renderMarkdownTable,
  renderRulesDoc,
  RULES_DOC_PATH,
} from './rules-doc.ts';
import { evaluateStation } from './station-state.ts';
import { DEFAULT_WEATHER_RULE_TABLE } from './weather-rule-table.ts';

const doc = fs.readFileSync(RULES_DOC_PATH, 'utf8');

describe('docs/RULES.md', () => {
  it.each(['levels', 'measures', 'persistence'] as const)('shows the %s of the default table', (name) => {
    expect(parseDocTable(doc, name)).toEqual(docTableRows(DEFAULT_WEATHER_RULE_TABLE, name));
  });

  it('has an example timeline that the rules really follow', () => {
    const rows = parseDocTable(doc, 'timeline').slice(1);
    expect(rows.length).toBeGreaterThan(10);
    const start = Date.parse('2026-11-25T06:00:00+08:00');
    const clock = manualClock(start);
    let state: StationAlertState | null = null;
    let seq = 0;
    for (const [minutes, visibility, stage] of rows) {
      const [from, to = from] = minutes!.split(/[–-]/).map(Number);
      for (let minute = from!; minute <= to!; minute += 1) {
        clock.set(start + minute * 60_000);
        const reading: WeatherObserved = {
          eventId: `e${(seq += 1)}`,
          ts: clock.now(),
          stationId: 'WS-01',
          visibilityM: Number(visibility),
        };
        state = evaluateStation(state, reading, DEFAULT_WEATHER_RULE_TABLE, clock.now()).state;
        expect({ minute, stage: state.hazards.fog?.stage ?? '—' }).toEqual({ minute, stage });
      }
    }
  });
});

describe('the doc generator', () => {
  it('renders a table that parses back to the same rows', () => {
    const rows = docTableRows(DEFAULT_WEATHER_RULE_TABLE, 'levels');
    const markdown = `<!-- rules:levels -->\n${renderMarkdownTable(rows)}\n<!-- /rules:levels -->`;
    expect(parseDocTable(markdown, 'levels')).toEqual(rows);
  });

  it('replaces only what is between the markers', () => {
    const skeleton = ['levels', 'measures', 'persistence']
      .map((n) => `text ${n}\n<!-- rules:${n} -->\nSTALE ROWS\n<!-- /rules:${n} -->`)
      .join('\n');
    const out = renderRulesDoc(skeleton, DEFAULT_WEATHER_RULE_TABLE);
    expect(out).not.toContain('STALE ROWS');
    expect(out).toContain('text persistence');
    expect(parseDocTable(out, 'persistence')).toEqual(docTableRows(DEFAULT_WEATHER_RULE_TABLE, 'persistence'));
    expect(() => parseDocTable('no markers', 'levels')).toThrow(/no <!-- rules:levels -->/);
  });

  it('describes persistence in words', () => {
    expect(describePersistence({ minReadings: 2, minDurationMs: 0, combine: 'and' })).toBe('2 readings');
    expect(describePersistence({ minReadings: 1, minDurationMs: 300_000, combine: 'or' })).toBe('1 reading or 5 min');
    expect(describePersistence({ minReadings: 3, minDurationMs: 90_000, combine: 'and' })).toBe('3 readings and 90 s');
  });
});
