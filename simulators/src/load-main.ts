import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { describeZodError, systemClock } from '@beacon/shared';
import { newRunId } from './event-ids.ts';
import { startLoad } from './load.ts';
import { consoleLogger, type SimLogger } from './log.ts';
import { MAX_PATROLS } from './patrols.ts';
import { mulberry32 } from './random.ts';
import { loadRegion } from './region.ts';

/**
 * Load mode: `pnpm --filter @beacon/simulators load --units 2000 --stations 200 --rate 1` (docs/DRILLS.md).
 * Runs until Ctrl-C, or for --duration seconds, printing a line of stats every 5 s.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const USAGE = `usage: pnpm --filter @beacon/simulators load [--units N] [--stations N] [--rate R] [--server URL]
       [--devices file.json] [--prefix LD] [--tick-ms 1000] [--duration S] [--seed N] [--region-dir DIR]`;

const Device = z.object({ deviceId: z.string().min(1), key: z.string().min(1) });
/** A devices file: gateway lists of its own, or the demo's (`pnpm start` writes .beacon/demo-devices.json). */
const DevicesFile = z.union([
  z.object({ gateways: z.array(Device).min(1), weather: z.array(Device).min(1) }),
  z.object({ patrols: Device, weather: Device }).transform((d) => ({ gateways: [d.patrols], weather: [d.weather] })),
]);

const Flags = z.strictObject({
  units: z.coerce.number().int().min(0).max(MAX_PATROLS).default(1000),
  stations: z.coerce.number().int().min(0).max(10_000).default(100),
  rate: z.coerce.number().positive().max(10).default(1),
  server: z.url().default(process.env.BEACON_SERVER_URL || 'http://127.0.0.1:8080'),
  devices: z.string().min(1).default(path.join(repoRoot, '.beacon/demo-devices.json')),
  prefix: z
    .string()
    .regex(/^[A-Z][A-Z0-9]{0,7}$/, '1–8 capital letters or digits')
    .default('LD'),
  'tick-ms': z.coerce.number().int().min(100).max(60_000).default(1000),
  duration: z.coerce.number().positive().optional(),
  seed: z.coerce.number().int().optional(),
  'region-dir': z
    .string()
    .min(1)
    .default(process.env.BEACON_REGION_DIR || path.join(repoRoot, 'regions/bijie')),
});

function fail(message: string): never {
  console.error(`load: ${message}\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  values = parseArgs({
    args: process.argv.slice(2),
    options: Object.fromEntries(Object.keys(Flags.shape).map((k) => [k, { type: 'string' as const }])),
  }).values;
} catch (error) {
  fail((error as Error).message);
}
const flags = Flags.safeParse(values);
if (!flags.success) fail(describeZodError(flags.error));
const f = flags.data;

let devices: z.output<typeof DevicesFile>;
try {
  // `pnpm --filter` runs in simulators/: a relative path means where the command was typed (INIT_CWD).
  const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), f.devices);
  const parsed = DevicesFile.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(describeZodError(parsed.error));
  devices = parsed.data;
} catch (error) {
  fail(
    `cannot read device keys from ${f.devices} (${(error as Error).message}). Run \`pnpm start\` (it writes the demo's), ` +
      'or register gateways with `pnpm beacon devices:add <id> --kind patrol|weather` and list them in a file ' +
      '{ "gateways": [{ "deviceId", "key" }], "weather": [{ "deviceId", "key" }] }.',
  );
}
const perGateway = (f.units * f.rate) / devices.gateways.length;
if (perGateway > 5000) {
  consoleLogger.warn(
    { perGateway, gateways: devices.gateways.length },
    'more GPS per gateway than the server takes by default (BEACON_DEVICE_RATE_PER_S 5000): add gateways',
  );
}

const region = await loadRegion(f['region-dir']);
const random = mulberry32(f.seed ?? Date.now() % 2 ** 32);
// Per-device warnings are many under load; count them instead and print them with the stats.
let warnings = 0;
const log: SimLogger = { ...consoleLogger, info: () => undefined, warn: () => void (warnings += 1) };
const load = startLoad({
  serverUrl: f.server,
  corridors: region.corridors,
  clock: systemClock,
  random,
  log,
  units: f.units,
  stations: f.stations,
  ratePerS: f.rate,
  gateways: devices.gateways,
  weather: devices.weather,
  idPrefix: f.prefix,
  runId: newRunId(systemClock, random),
});
console.log(
  `load: ${f.units} units and ${f.stations} stations at ${f.rate}/s each → ${f.server} ` +
    `(${devices.gateways.length} GPS gateways, ${devices.weather.length} weather devices)`,
);

const startedAt = Date.now();
let last = { at: startedAt, accepted: 0 };
const timer = setInterval(() => void load.tick(), f['tick-ms']);
const statsTimer = setInterval(() => {
  const s = load.stats();
  const now = Date.now();
  const rate = Math.round(((s.accepted - last.accepted) * 1000) / (now - last.at));
  last = { at: now, accepted: s.accepted };
  console.log(
    `load: ${Math.round((now - startedAt) / 1000)} s  sent ${s.sent}  accepted ${s.accepted} (${rate}/s)  ` +
      `dropped ${s.dropped}  rejected ${s.rejected}  failed ${s.failed}  warnings ${warnings}`,
  );
}, 5_000);

let stopping = false;
async function stop(reason: string): Promise<void> {
  if (stopping) process.exit(1);
  stopping = true;
  clearInterval(timer);
  clearInterval(statsTimer);
  await load.stop();
  const s = load.stats();
  console.log(
    `load: stopped (${reason}); sent ${s.sent}, accepted ${s.accepted}, dropped ${s.dropped}, rejected ${s.rejected}`,
  );
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
if (f.duration !== undefined) setTimeout(() => void stop(`${f.duration} s`), f.duration * 1000);
