import { createHash } from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { z } from 'zod';
import {
  EventId,
  GpsReported,
  PedestrianDetected,
  WeatherObserved,
  describeZodError,
  type DeviceKind,
  type IngestKind,
} from '../../shared/src/index.ts';

/** Format of the recording files written by `pnpm beacon record`. */
export const RECORDING_FORMAT = 'beacon-recording';
export const RECORDING_VERSION = 1;

/** The first line of a recording: where and when it was taken. */
export const RecordingHeader = z.strictObject({
  format: z.literal(RECORDING_FORMAT),
  version: z.literal(RECORDING_VERSION),
  /** Region pack id of the installation recorded (`regions/<region>`). */
  region: z.string().regex(/^[a-z0-9_-]{1,64}$/, 'a region pack id: lower-case letters, digits, _ or -'),
  /** Key prefix of the stream recorded (`<prefix>:ingest`). */
  prefix: z.string().min(1).max(200),
  /** The requested window (stream-id time), epoch ms. */
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  /** Event lines that follow. */
  count: z.number().int().nonnegative(),
  /** Stream entries in the window left out because they did not validate. */
  skipped: z.number().int().nonnegative(),
  recordedAt: z.number().int().nonnegative(),
});
export type RecordingHeader = z.output<typeof RecordingHeader>;

const StreamId = z.string().regex(/^\d+-\d+$/, 'a stream id such as 1764072000000-0');
const DeviceIdField = z.string().min(1).max(64);
const line = <K extends IngestKind, S extends z.ZodType>(kind: K, payload: S) =>
  z.strictObject({
    /** The entry's id in the ingest stream it was recorded from. */
    id: StreamId,
    kind: z.literal(kind),
    /** The device that sent it. */
    device: DeviceIdField,
    /** Server time of the acknowledgement, epoch ms: replay keeps these gaps. */
    receivedAt: z.number().int().nonnegative(),
    /** The event as stored (already validated and normalised by the server). */
    payload,
  });

/** One recorded device event: an ingest stream entry, validated with the shared schema of its kind. */
export const RecordedEvent = z.discriminatedUnion('kind', [
  line('gps', GpsReported),
  line('pedestrian', PedestrianDetected),
  line('weather', WeatherObserved),
]);
export type RecordedEvent = z.output<typeof RecordedEvent>;

/** The device kind that may send each event kind. */
export const DEVICE_KIND_BY_EVENT: Record<IngestKind, DeviceKind> = {
  gps: 'patrol',
  pedestrian: 'camera',
  weather: 'weather',
};

/** Validate an ingest stream entry's fields (`kind`, `device`, `receivedAt`, `payload` JSON) as a recorded event. */
export function recordedEventFromEntry(
  id: string,
  fields: Record<string, string>,
): { ok: true; event: RecordedEvent } | { ok: false; message: string } {
  let payload: unknown;
  try {
    payload = JSON.parse(fields.payload ?? '');
  } catch {
    return { ok: false, message: 'payload: not JSON' };
  }
  const parsed = RecordedEvent.safeParse({
    id,
    kind: fields.kind,
    device: fields.device,
    receivedAt: Number(fields.receivedAt),
    payload,
  });
  return parsed.success ? { ok: true, event: parsed.data } : { ok: false, message: describeZodError(parsed.error) };
}

/** A line of a recording that could not be used, with its 1-based line number. */
export interface BadLine {
  line: number;
  message: string;
}

/** What reading a recording yields, line by line after the header. */
export type RecordingLine = { line: number; event: RecordedEvent } | ({ bad: true } & BadLine);

/** A recording whose header is missing or malformed: nothing in it can be trusted. */
export class RecordingError extends Error {}

/**
 * Open a gzip JSONL recording: validate the header (line 1), then yield every further line, validated with
 * `RecordedEvent`, or the reason it is unusable. A bad line never stops the reading.
 */
export async function openRecording(
  file: string,
): Promise<{ header: RecordingHeader; lines: AsyncGenerator<RecordingLine> }> {
  if (!fs.existsSync(file)) throw new RecordingError(`${file}: no such file`);
  const input = fs.createReadStream(file).pipe(zlib.createGunzip());
  const reader = readline.createInterface({ input, crlfDelay: Infinity });
  const iterator = reader[Symbol.asyncIterator]();
  const close = () => {
    reader.close();
    input.destroy();
  };
  let first: IteratorResult<string>;
  try {
    first = await iterator.next();
  } catch (error) {
    close();
    throw new RecordingError(`${file}: not a gzip recording (${(error as Error).message})`);
  }
  if (first.done) {
    close();
    throw new RecordingError(`${file}: empty recording`);
  }
  const header = RecordingHeader.safeParse(parseJson(first.value));
  if (!header.success) {
    close();
    throw new RecordingError(`${file}:1: not a recording header: ${describeZodError(header.error)}`);
  }

  async function* lines(): AsyncGenerator<RecordingLine> {
    let number = 1;
    try {
      for (;;) {
        let next: IteratorResult<string>;
        try {
          next = await iterator.next();
        } catch (error) {
          // A truncated or corrupt gzip tail: report it as the next line and stop.
          yield { bad: true, line: number + 1, message: `unreadable: ${(error as Error).message}` };
          return;
        }
        if (next.done) return;
        number += 1;
        if (next.value.trim() === '') continue;
        const json = parseJson(next.value);
        if (json === NOT_JSON) {
          yield { bad: true, line: number, message: 'not JSON' };
          continue;
        }
        const parsed = RecordedEvent.safeParse(json);
        if (parsed.success) yield { line: number, event: parsed.data };
        else yield { bad: true, line: number, message: describeZodError(parsed.error) };
      }
    } finally {
      close();
    }
  }
  return { header: header.data, lines: lines() };
}

const NOT_JSON = Symbol('not JSON');
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/**
 * The event id a replay sends: `<drill>:<device>:<eventId>`, so that replaying into a drill never collides
 * with anything the drill's devices sent before; hashed when that would be longer than an event id may be.
 */
export function replayEventId(drillId: string, device: string, eventId: string): string {
  const plain = `${drillId}:${device}:${eventId}`;
  if (EventId.safeParse(plain).success) return plain;
  return `${drillId}:${createHash('sha256').update(`${device}\u0000${eventId}`).digest('hex').slice(0, 40)}`;
}
