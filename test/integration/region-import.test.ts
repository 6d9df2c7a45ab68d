import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegionManifest } from '@beacon/shared';
import { FIXTURE_BBOX, writeFixtures } from '../../scripts/region/osm-test-fixture.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');

/** `pnpm beacon …` as an operator runs it: pnpm runs from the repository root and says where it was started. */
function beacon(startedIn: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      tsx,
      ['scripts/beacon.ts', ...args],
      { cwd: repoRoot, env: { ...process.env, INIT_CWD: startedIn } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('pnpm beacon region:import', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-region-import-'));
    writeFixtures(dir);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('imports an .osm.pbf extract given by relative paths, prints a summary and exits 0', async () => {
    const run = await beacon(
      dir,
      'region:import',
      'fixture.osm.pbf',
      '--bbox',
      FIXTURE_BBOX,
      '--out',
      'regions/test-osm',
      '--name-zh',
      '测试区',
      '--name-en',
      'Test',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('region:import test-osm: fixture.osm.pbf (pbf, wgs84)');
    expect(run.stdout).toMatch(/7 OSM ways → 10 road features \(motorway 5, motorway_link 4, trunk 1\); 1 outside/);
    expect(run.stdout).toMatch(/pois\s+interchange 2, toll_station 1, service_area 2, tunnel 1/);
    expect(run.stdout).toMatch(/corridors\s+G56, S20/);
    expect(run.stdout).toMatch(/graph\s+\d+ nodes, \d+ edges, 1 weakly connected component,/);
    const manifest = RegionManifest.parse(
      JSON.parse(fs.readFileSync(path.join(dir, 'regions/test-osm/manifest.json'), 'utf8')),
    );
    expect(manifest).toMatchObject({ id: 'test-osm', name_zh: '测试区', name_en: 'Test' });
  });

  it('exits 2 with the usage on a bad bbox', async () => {
    const run = await beacon(
      dir,
      'region:import',
      'fixture.osm',
      '--bbox',
      '105.36,27.28,105.29',
      '--out',
      'regions/bad',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'beacon: region:import: --bbox: expected minLon,minLat,maxLon,maxLat (four numbers separated by commas), got "105.36,27.28,105.29"',
    );
    expect(run.stderr).toContain('usage: pnpm beacon <command>');
    expect(fs.existsSync(path.join(dir, 'regions/bad'))).toBe(false);
  });

  it('exits 1 naming the file and line when the input is broken', async () => {
    fs.writeFileSync(path.join(dir, 'broken.osm'), '<osm>\n<node id="1" lat="north" lon="105"/>\n</osm>\n');
    const run = await beacon(dir, 'region:import', 'broken.osm', '--bbox', FIXTURE_BBOX, '--out', 'regions/broken');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/broken\.osm:2: <node>: lat: must be a number/);
  });
});
