import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { describeZodError } from '@beacon/shared';
import { loadCorridors, type Corridor } from './route.ts';

/** The part of a region pack's manifest.json the simulators use. */
const Manifest = z.object({
  id: z.string().min(1),
  name_en: z.string().optional(),
  files: z.object({
    roads: z.object({ file: z.string().min(1) }),
    /** Corridor centrelines; packs without them (e.g. imported from OSM) drive the road ways instead. */
    corridors: z.object({ file: z.string().min(1) }).optional(),
  }),
});

export interface Region {
  id: string;
  name: string;
  corridors: Corridor[];
}

/** Read a region pack (`regions/<id>/`): its manifest, then the road layer it names. Errors name the file. */
export async function loadRegion(regionDir: string): Promise<Region> {
  const manifestFile = path.join(regionDir, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(manifestFile, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read region manifest ${manifestFile}: ${(error as Error).message}`, { cause: error });
  }
  const manifest = Manifest.safeParse(raw);
  if (!manifest.success) throw new Error(`${manifestFile}: invalid manifest: ${describeZodError(manifest.error)}`);
  const layer = manifest.data.files.corridors ?? manifest.data.files.roads;
  const corridors = await loadCorridors(path.join(regionDir, layer.file));
  return { id: manifest.data.id, name: manifest.data.name_en ?? manifest.data.id, corridors };
}
