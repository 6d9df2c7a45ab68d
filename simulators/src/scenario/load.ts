import fs from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { Scenario } from './schema.ts';

/** A scenario file that cannot be used; the message names the file, line and column of every problem. */
export class ScenarioError extends Error {}

/**
 * Parse and validate a scenario from text (YAML, or JSON, which YAML reads too). `source` names the file in
 * errors. Every problem is reported as `file:line:column: path: message`.
 */
export function parseScenario(text: string, source = 'scenario'): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.slice(0, 5).map((error) => {
      const at = lineCounter.linePos(error.pos[0]);
      return `${source}:${at.line}:${at.col}: ${error.message.split('\n')[0]}`;
    });
    throw new ScenarioError(`invalid scenario file:\n  ${lines.join('\n  ')}`);
  }
  const result = Scenario.safeParse(doc.toJS());
  if (!result.success)
    throw new ScenarioError(`invalid scenario:\n  ${describeIssues(result.error, doc, lineCounter, source)}`);
  return result.data;
}

/** Read, parse and validate a scenario file (`.yaml`, `.yml` or `.json`). */
export async function loadScenario(file: string): Promise<Scenario> {
  if (!/\.(ya?ml|json)$/i.test(file)) throw new ScenarioError(`${file}: a scenario is a .yaml, .yml or .json file`);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(`cannot read scenario ${file}: ${(error as Error).message}`);
  }
  return parseScenario(text, path.relative(process.cwd(), file) || file);
}

/** Each zod issue at the line and column of the node it concerns (or of its nearest existing parent). */
function describeIssues(error: z.ZodError, doc: Document, lineCounter: LineCounter, source: string): string {
  return error.issues
    .slice(0, 8)
    .map((issue) => {
      const keys = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
      let where = `${source}`;
      for (let n = keys.length; n >= 0; n -= 1) {
        const node = n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true);
        if (isNode(node) && node.range) {
          const at = lineCounter.linePos(node.range[0]);
          where = `${source}:${at.line}:${at.col}`;
          break;
        }
      }
      const field = keys.length > 0 ? `${keys.join('.')}: ` : '';
      return `${where}: ${field}${issue.message}`;
    })
    .join('\n  ');
}
