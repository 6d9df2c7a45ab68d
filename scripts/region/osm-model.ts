/**
 * The slice of the OpenStreetMap data model the region importer reads, shared by the input readers
 * (OSM XML, `.osm.pbf`, osmium's GeoJSON export). Relations are not read.
 */

export type OsmTags = Record<string, string>;

export interface OsmNode {
  id: number;
  lon: number;
  lat: number;
  /** Null for untagged nodes (most way vertices). */
  tags: OsmTags | null;
  /** The real OSM id when `id` is synthetic (GeoJSON input keys vertices by their coordinates). */
  osmId?: number;
}

export interface OsmWay {
  id: number;
  /** Node ids in the way's order. */
  refs: number[];
  tags: OsmTags;
}

/** Callbacks of one pass over an input. A reader may skip decoding an element kind that has no handler. */
export interface OsmSink {
  node?: (node: OsmNode) => void;
  way?: (way: OsmWay) => void;
}

/** Bad or unreadable input. The message names the file and, where known, the line, feature or block. */
export class OsmInputError extends Error {
  override name = 'OsmInputError';
}
