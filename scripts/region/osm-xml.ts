/**
 * A streaming reader for OSM XML (`.osm`, as written by osmium, JOSM, Overpass and the OSM API), built on
 * the `saxes` XML parser. Reads `<node>` and `<way>` with their `<tag>`s and `<nd>`s; skips relations,
 * and elements JOSM marks `action="delete"` or the API marks `visible="false"`. Attributes are validated
 * with zod; errors name the file and line.
 */
import fs from 'node:fs';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { z } from 'zod';
import { Latitude, Longitude, describeZodError } from '../../shared/src/index.ts';
import { OsmInputError, type OsmNode, type OsmSink, type OsmTags, type OsmWay } from './osm-model.ts';

const Id = z
  .string()
  .regex(/^-?\d+$/, 'must be an integer')
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n) && n !== 0, 'must be a non-zero integer');
const Coordinate = (range: z.ZodNumber) =>
  z
    .string()
    .regex(/^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/, 'must be a number')
    .transform(Number)
    .pipe(range);

const NodeAttributes = z.object({ id: Id, lat: Coordinate(Latitude), lon: Coordinate(Longitude) });
const WayAttributes = z.object({ id: Id });
const NdAttributes = z.object({ ref: Id });
const TagAttributes = z.object({ k: z.string(), v: z.string() });

/** One pass over an OSM XML file. */
export async function readOsmXml(file: string, sink: OsmSink): Promise<void> {
  const parser = new SaxesParser({ fileName: file, xmlns: false as const });
  let current: { kind: 'node'; node: OsmNode } | { kind: 'way'; way: OsmWay } | { kind: 'other' } | null = null;
  let tags: OsmTags = {};
  let depth = 0;
  let sawRoot = false;

  const fail = (tag: string, message: string): never => {
    throw new OsmInputError(`${file}:${parser.line}: <${tag}>: ${message}`);
  };
  const parse = <T>(schema: z.ZodType<T>, tag: SaxesTagPlain): T => {
    const result = schema.safeParse(tag.attributes);
    if (!result.success) fail(tag.name, describeZodError(result.error));
    return result.data!;
  };
  const skipped = (tag: SaxesTagPlain) => tag.attributes.action === 'delete' || tag.attributes.visible === 'false';

  parser.on('opentag', (tag) => {
    depth += 1;
    if (depth === 1) {
      if (tag.name !== 'osm') fail(tag.name, 'not an OSM XML file (the root element must be <osm>)');
      sawRoot = true;
      return;
    }
    if (depth === 2) {
      tags = {};
      if (tag.name === 'node' && sink.node && !skipped(tag)) {
        const { id, lat, lon } = parse(NodeAttributes, tag);
        current = { kind: 'node', node: { id, lat, lon, tags: null } };
      } else if (tag.name === 'way' && sink.way && !skipped(tag)) {
        current = { kind: 'way', way: { id: parse(WayAttributes, tag).id, refs: [], tags: {} } };
      } else {
        current = { kind: 'other' };
      }
      return;
    }
    if (depth === 3 && current && current.kind !== 'other') {
      if (tag.name === 'tag') {
        const { k, v } = parse(TagAttributes, tag);
        tags[k] = v;
      } else if (tag.name === 'nd' && current.kind === 'way') {
        current.way.refs.push(parse(NdAttributes, tag).ref);
      }
    }
  });
  parser.on('closetag', () => {
    if (depth === 2 && current) {
      if (current.kind === 'node') {
        if (Object.keys(tags).length > 0) current.node.tags = tags;
        sink.node?.(current.node);
      } else if (current.kind === 'way') {
        current.way.tags = tags;
        sink.way?.(current.way);
      }
      current = null;
    }
    depth -= 1;
  });

  try {
    for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      parser.write(chunk as string);
    }
    parser.close();
  } catch (error) {
    if (error instanceof OsmInputError) throw error;
    // saxes prefixes its own messages with file:line:column.
    throw new OsmInputError((error as Error).message, { cause: error });
  }
  if (!sawRoot) throw new OsmInputError(`${file}: no <osm> element: not an OSM XML file`);
}
