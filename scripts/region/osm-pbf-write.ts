/**
 * A minimal `.osm.pbf` writer: one OSMHeader blob (raw) and one OSMData blob (zlib) holding untagged
 * nodes as DenseNodes, tagged nodes as plain Nodes, and ways. Enough for test fixtures and small
 * hand-made extracts; real extracts come from osmium.
 */
import zlib from 'node:zlib';
import { PbfWriter } from 'pbf';
import type { OsmNode, OsmWay } from './osm-model.ts';

function blob(type: 'OSMHeader' | 'OSMData', data: Uint8Array, compress: boolean): Buffer {
  const body = new PbfWriter();
  if (compress) {
    body.writeVarintField(2, data.length);
    body.writeBytesField(3, zlib.deflateSync(data));
  } else {
    body.writeBytesField(1, data);
  }
  const blobBytes = body.finish();
  const header = new PbfWriter();
  header.writeStringField(1, type);
  header.writeVarintField(3, blobBytes.length);
  const headerBytes = header.finish();
  const length = Buffer.alloc(4);
  length.writeUInt32BE(headerBytes.length, 0);
  return Buffer.concat([length, headerBytes, blobBytes]);
}

const deltas = (values: number[]) => values.map((v, i) => v - (i === 0 ? 0 : values[i - 1]!));

/** Encode nodes and ways as an `.osm.pbf` file (granularity 100 nanodegrees, i.e. 7 decimals). */
export function writeOsmPbf(nodes: OsmNode[], ways: OsmWay[]): Buffer {
  const header = new PbfWriter();
  header.writeStringField(4, 'OsmSchema-V0.6');
  header.writeStringField(4, 'DenseNodes');
  header.writeStringField(16, 'beacon osm-pbf-write');

  const strings = [''];
  const index = new Map<string, number>();
  const sid = (s: string) => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const fixed = (deg: number) => Math.round(deg * 1e7);
  const tagged = nodes.filter((n) => n.tags && Object.keys(n.tags).length > 0);
  const dense = nodes.filter((n) => !tagged.includes(n));

  const groups: ((pbf: PbfWriter) => void)[] = [];
  if (dense.length > 0) {
    groups.push((pbf) =>
      pbf.writeMessage(
        2,
        (d: OsmNode[], p) => {
          p.writePackedSVarint(1, deltas(d.map((n) => n.id)));
          p.writePackedSVarint(8, deltas(d.map((n) => fixed(n.lat))));
          p.writePackedSVarint(9, deltas(d.map((n) => fixed(n.lon))));
        },
        dense,
      ),
    );
  }
  if (tagged.length > 0) {
    groups.push((pbf) => {
      for (const node of tagged) {
        pbf.writeMessage(
          1,
          (n: OsmNode, p) => {
            p.writeSVarintField(1, n.id);
            p.writePackedVarint(2, Object.keys(n.tags!).map(sid));
            p.writePackedVarint(3, Object.values(n.tags!).map(sid));
            p.writeSVarintField(8, fixed(n.lat));
            p.writeSVarintField(9, fixed(n.lon));
          },
          node,
        );
      }
    });
  }
  if (ways.length > 0) {
    groups.push((pbf) => {
      for (const way of ways) {
        pbf.writeMessage(
          3,
          (w: OsmWay, p) => {
            p.writeVarintField(1, w.id);
            p.writePackedVarint(2, Object.keys(w.tags).map(sid));
            p.writePackedVarint(3, Object.values(w.tags).map(sid));
            p.writePackedSVarint(8, deltas(w.refs));
          },
          way,
        );
      }
    });
  }
  // Encode the groups first: that fills the string table, which comes first in the block.
  const encodedGroups = groups.map((write) => {
    const pbf = new PbfWriter();
    write(pbf);
    return pbf.finish();
  });
  const block = new PbfWriter();
  block.writeMessage(
    1,
    (s: string[], p) => {
      for (const str of s) p.writeBytesField(1, new TextEncoder().encode(str));
    },
    strings,
  );
  for (const group of encodedGroups) block.writeBytesField(2, group);
  block.writeVarintField(17, 100);

  return Buffer.concat([blob('OSMHeader', header.finish(), false), blob('OSMData', block.finish(), true)]);
}
