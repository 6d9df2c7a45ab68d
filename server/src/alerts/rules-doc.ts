import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClearMargin, ObservedMetric, Persistence, WeatherRuleTable } from '@beacon/shared';
import { describeClearing, describeCondition } from './rule-conditions.ts';
import { DEFAULT_WEATHER_RULE_TABLE } from './weather-rule-table.ts';

/**
 * docs/RULES.md shows the rule table in three markdown tables generated from the table data, each between
 * `<!-- rules:NAME -->` and `<!-- /rules:NAME -->`. `rules-doc.test.ts` parses them back and fails when the
 * doc and the data disagree; `npx tsx server/src/alerts/rules-doc.ts` rewrites them (then run prettier).
 */

export type DocTableName = 'levels' | 'measures' | 'persistence';
/** The hand-written tables the doc also has: `timeline` is replayed by the test. */
export type ParsedTableName = DocTableName | 'timeline';
type Rows = string[][];

function minutes(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;
}

/** `2 readings`, `5 readings and 10 min`, `2 readings or 5 min`. */
export function describePersistence(p: Persistence): string {
  const readings = `${p.minReadings} reading${p.minReadings === 1 ? '' : 's'}`;
  return p.minDurationMs === 0 && p.combine === 'and'
    ? readings
    : `${readings} ${p.combine} ${minutes(p.minDurationMs)}`;
}

function describeMargin(metric: string, margin: ClearMargin): string {
  const parts = [
    margin.relative > 0 ? `${Math.round(margin.relative * 100)} %` : null,
    margin.absolute > 0 ? `${margin.absolute}` : null,
  ];
  const present = parts.filter((p): p is string => p !== null);
  if (present.length === 0) return `${metric}: none`;
  return present.length === 1 ? `${metric}: ${present[0]}` : `${metric}: larger of ${present.join(' and ')}`;
}

const yesNo = (b: boolean) => (b ? 'yes' : '—');
const orDash = (n: number | null) => (n === null ? '—' : String(n));

/** The rows (header first) of one of the doc's tables, from the rule table. */
export function docTableRows(table: WeatherRuleTable, name: DocTableName): Rows {
  switch (name) {
    case 'levels':
      return [
        ['hazard', 'level', 'stage', 'raised when', 'clears when', 'threshold source'],
        ...table.hazards.flatMap((rule) =>
          rule.stages.map((stage) => [
            `${rule.nameEn} ${rule.nameZh}`,
            stage.level,
            stage.id,
            describeCondition(stage.when),
            describeClearing(stage.when, rule.clearMargins),
            stage.thresholdSource,
          ]),
        ),
      ];
    case 'measures':
      return [
        ['hazard', 'stage', 'limit km/h', 'gap m', 'leave at exit', 'close', '措施', 'measure source'],
        ...table.hazards.flatMap((rule) =>
          rule.stages.map((stage) => [
            rule.nameEn,
            stage.id,
            orDash(stage.measure.speedLimitKmh),
            orDash(stage.measure.minGapM),
            yesNo(stage.measure.leaveAtNextExit),
            yesNo(stage.measure.closeSection),
            stage.measure.textZh,
            stage.measureSource,
          ]),
        ),
      ];
    case 'persistence':
      return [
        ['hazard', 'raise after', 'lower after', 'run broken by a gap over', 'clear margin'],
        ...table.hazards.map((rule) => [
          rule.nameEn,
          describePersistence(rule.raise),
          describePersistence(rule.lower),
          minutes(rule.maxGapMs),
          Object.entries(rule.clearMargins)
            .map(([metric, margin]) => describeMargin(metric as ObservedMetric, margin))
            .join('; ') || '—',
        ]),
      ];
  }
}

/** A markdown table (prettier aligns it afterwards). */
export function renderMarkdownTable(rows: Rows): string {
  const [header = [], ...body] = rows;
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');
}

const markers = (name: ParsedTableName) => [`<!-- rules:${name} -->`, `<!-- /rules:${name} -->`] as const;

/** The rows of the doc's table `name`, header first; throws when the markers are missing. */
export function parseDocTable(markdown: string, name: ParsedTableName): Rows {
  const [open, close] = markers(name);
  const start = markdown.indexOf(open);
  const end = markdown.indexOf(close);
  if (start < 0 || end < start) throw new Error(`docs/RULES.md has no ${open} … ${close} block`);
  return markdown
    .slice(start + open.length, end)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .slice(1, l.endsWith('|') ? -1 : undefined)
        .split('|')
        .map((cell) => cell.trim()),
    )
    .filter((cells) => !cells.every((cell) => /^:?-+:?$/.test(cell)));
}

/** Replace the doc's generated tables with the ones from `table`. */
export function renderRulesDoc(markdown: string, table: WeatherRuleTable): string {
  let out = markdown;
  for (const name of ['levels', 'measures', 'persistence'] as const) {
    const [open, close] = markers(name);
    const start = out.indexOf(open);
    const end = out.indexOf(close);
    if (start < 0 || end < start) throw new Error(`missing ${open} … ${close}`);
    out = `${out.slice(0, start + open.length)}\n\n${renderMarkdownTable(docTableRows(table, name))}\n\n${out.slice(end)}`;
  }
  return out;
}

export const RULES_DOC_PATH = fileURLToPath(new URL('../../../docs/RULES.md', import.meta.url));

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(RULES_DOC_PATH, renderRulesDoc(fs.readFileSync(RULES_DOC_PATH, 'utf8'), DEFAULT_WEATHER_RULE_TABLE));
  console.log(`wrote ${RULES_DOC_PATH}; run prettier --write on it`);
}
