/**
 * A streaming reader for OpenStreetMap's `.osm.pbf` format (https://wiki.openstreetmap.org/wiki/PBF_Format),
 * built on the `pbf` protocol-buffer decoder and node:zlib. The file is read one blob (≤ 32 MiB, usually
 * ~8000 elements) at a time, so memory stays flat whatever the extract's size.
 *
 * Reads nodes (plain and DenseNodes) and ways with their tags; skips relations, changesets and metadata.
 * Supports raw and zlib-compressed blobs (what osmium, osmosis and Geofabrik write); lzma/zstd/lz4 blobs
 * are rejected with a clear error (re-encode with `osmium cat -o out.osm.pbf`).
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { PbfReader } from 'pbf';
import { OsmInputError, type OsmSink, type OsmTags } from './osm-model.ts';

const SUPPORTED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes', 'HistoricalInformation']);
const MAX_HEADER_BYTES = 64 * 1024;
const MAX_BLOB_BYTES = 32 * 1024 * 1024;

interface BlobHeader {
  type: string;
  datasize: number;
}

interface Blob {
  raw: Uint8Array | null;
  rawSize: number;
  zlib: Uint8Array | null;
  other: string | null;
}

function readBlobHeader(buf: Uint8Array): BlobHeader {
  return new PbfReader(buf).readFields<BlobHeader>(
    (tag, h, pbf) => {
      if (tag === 1) h.type = pbf.readString();
      else if (tag === 3) h.datasize = pbf.readVarint();
    },
    { type: '', datasize: -1 },
  );
}

const OTHER_COMPRESSION: Record<number, string> = { 4: 'lzma', 5: 'bzip2', 6: 'lz4', 7: 'zstd' };

function readBlob(buf: Uint8Array): Blob {
  return new PbfReader(buf).readFields<Blob>(
    (tag, b, pbf) => {
      if (tag === 1) b.raw = pbf.readBytes();
      else if (tag === 2) b.rawSize = pbf.readVarint();
      else if (tag === 3) b.zlib = pbf.readBytes();
      else if (OTHER_COMPRESSION[tag]) b.other = OTHER_COMPRESSION[tag];
    },
    { raw: null, rawSize: -1, zlib: null, other: null },
  );
}

function blobData(blob: Blob): Uint8Array {
  if (blob.raw) return blob.raw;
  if (blob.zlib) return zlib.inflateSync(blob.zlib);
  if (blob.other) throw new Error(`${blob.other}-compressed blobs are not supported; re-encode with osmium cat`);
  throw new Error('blob has no data');
}

function readRequiredFeatures(buf: Uint8Array): string[] {
  return new PbfReader(buf).readFields<string[]>((tag, list, pbf) => {
    if (tag === 4) list.push(pbf.readString());
  }, []);
}

interface DenseNodes {
  id: number[];
  lat: number[];
  lon: number[];
  keysVals: number[];
}

interface RawNode {
  id: number;
  lat: number;
  lon: number;
  keys: number[];
  vals: number[];
}

interface RawWay {
  id: number;
  keys: number[];
  vals: number[];
  refs: number[];
}

interface Block {
  strings: string[];
  granularity: number;
  latOffset: number;
  lonOffset: number;
  groups: Uint8Array[];
}

const decoder = new TextDecoder();

function readBlock(buf: Uint8Array): Block {
  return new PbfReader(buf).readFields<Block>(
    (tag, block, pbf) => {
      if (tag === 1) {
        pbf.readMessage<string[]>((t, strings, p) => {
          if (t === 1) strings.push(decoder.decode(p.readBytes()));
        }, block.strings);
      } else if (tag === 2) block.groups.push(pbf.readBytes());
      else if (tag === 17) block.granularity = pbf.readVarint();
      else if (tag === 19) block.latOffset = pbf.readVarint(true);
      else if (tag === 20) block.lonOffset = pbf.readVarint(true);
    },
    { strings: [], granularity: 100, latOffset: 0, lonOffset: 0, groups: [] },
  );
}

function tagsOf(strings: string[], keys: number[], vals: number[]): OsmTags | null {
  if (keys.length === 0) return null;
  const tags: OsmTags = {};
  for (let i = 0; i < keys.length; i += 1) tags[strings[keys[i]!] ?? ''] = strings[vals[i]!] ?? '';
  return tags;
}

/** Decode one PrimitiveGroup, calling the sink for the element kinds it wants. */
function readGroup(group: Uint8Array, block: Block, sink: OsmSink): void {
  // Coordinates are nanodegrees: offset + granularity × value. Integers stay exact well past 180e9.
  const lonOf = (v: number) => (block.lonOffset + block.granularity * v) / 1e9;
  const latOf = (v: number) => (block.latOffset + block.granularity * v) / 1e9;
  new PbfReader(group).readFields<null>((tag, _, pbf) => {
    if (tag === 1 && sink.node) {
      const n = pbf.readMessage<RawNode>(
        (t, node, p) => {
          if (t === 1) node.id = p.readSVarint();
          else if (t === 2) p.readPackedVarint(node.keys);
          else if (t === 3) p.readPackedVarint(node.vals);
          else if (t === 8) node.lat = p.readSVarint();
          else if (t === 9) node.lon = p.readSVarint();
        },
        { id: 0, lat: 0, lon: 0, keys: [], vals: [] },
      );
      sink.node({ id: n.id, lon: lonOf(n.lon), lat: latOf(n.lat), tags: tagsOf(block.strings, n.keys, n.vals) });
    } else if (tag === 2 && sink.node) {
      const d = pbf.readMessage<DenseNodes>(
        (t, dense, p) => {
          if (t === 1) p.readPackedSVarint(dense.id);
          else if (t === 8) p.readPackedSVarint(dense.lat);
          else if (t === 9) p.readPackedSVarint(dense.lon);
          else if (t === 10) p.readPackedVarint(dense.keysVals);
        },
        { id: [], lat: [], lon: [], keysVals: [] },
      );
      if (d.lat.length !== d.id.length || d.lon.length !== d.id.length)
        throw new Error(`DenseNodes has ${d.id.length} ids but ${d.lat.length} lats and ${d.lon.length} lons`);
      let id = 0;
      let lat = 0;
      let lon = 0;
      let kv = 0;
      for (let i = 0; i < d.id.length; i += 1) {
        id += d.id[i]!;
        lat += d.lat[i]!;
        lon += d.lon[i]!;
        let tags: OsmTags | null = null;
        // keys_vals: (key, value)* 0 per node; empty when no node in the block has tags.
        while (kv < d.keysVals.length && d.keysVals[kv] !== 0) {
          tags ??= {};
          tags[block.strings[d.keysVals[kv]!] ?? ''] = block.strings[d.keysVals[kv + 1]!] ?? '';
          kv += 2;
        }
        kv += 1;
        sink.node({ id, lon: lonOf(lon), lat: latOf(lat), tags });
      }
    } else if (tag === 3 && sink.way) {
      const w = pbf.readMessage<RawWay>(
        (t, way, p) => {
          if (t === 1) way.id = p.readVarint(true);
          else if (t === 2) p.readPackedVarint(way.keys);
          else if (t === 3) p.readPackedVarint(way.vals);
          else if (t === 8) p.readPackedSVarint(way.refs);
        },
        { id: 0, keys: [], vals: [], refs: [] },
      );
      let ref = 0;
      const refs = w.refs.map((delta) => (ref += delta));
      sink.way({ id: w.id, refs, tags: tagsOf(block.strings, w.keys, w.vals) ?? {} });
    }
  }, null);
}

/** One pass over a `.osm.pbf` file. Errors name the file and the blob's byte offset. */
export function readOsmPbf(file: string, sink: OsmSink): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw new OsmInputError(`${file}: cannot open: ${(error as Error).message}`, { cause: error });
  }
  try {
    const size = fs.fstatSync(fd).size;
    let offset = 0;
    let blobIndex = 0;
    const readExactly = (length: number, what: string): Uint8Array => {
      const buf = Buffer.alloc(length);
      const got = length === 0 ? 0 : fs.readSync(fd, buf, 0, length, offset);
      if (got !== length) throw new Error(`file ends inside the ${what} (truncated download?)`);
      offset += length;
      return buf;
    };
    while (offset < size) {
      const at = offset;
      try {
        const headerLength = Buffer.from(readExactly(4, 'blob header length')).readUInt32BE(0);
        if (headerLength === 0 || headerLength > MAX_HEADER_BYTES)
          throw new Error(`blob header length ${headerLength} is not plausible: not an .osm.pbf file?`);
        const header = readBlobHeader(readExactly(headerLength, 'blob header'));
        if (header.datasize < 0 || header.datasize > MAX_BLOB_BYTES)
          throw new Error(`blob size ${header.datasize} is not plausible: not an .osm.pbf file?`);
        const data = blobData(readBlob(readExactly(header.datasize, 'blob')));
        if (header.type === 'OSMHeader') {
          const missing = readRequiredFeatures(data).filter((f) => !SUPPORTED_FEATURES.has(f));
          if (missing.length > 0) throw new Error(`requires unsupported feature(s): ${missing.join(', ')}`);
        } else if (header.type === 'OSMData') {
          if (blobIndex === 0) throw new Error('OSMData before the OSMHeader blob');
          const block = readBlock(data);
          for (const group of block.groups) readGroup(group, block, sink);
        } else if (blobIndex === 0) {
          throw new Error(`first blob has type "${header.type}", expected OSMHeader: not an .osm.pbf file?`);
        }
      } catch (error) {
        if (error instanceof OsmInputError) throw error;
        throw new OsmInputError(`${file}: blob ${blobIndex} at byte ${at}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      blobIndex += 1;
    }
    if (blobIndex === 0) throw new OsmInputError(`${file}: empty file`);
  } finally {
    fs.closeSync(fd);
  }
}
