import { z } from 'zod';

/** Stable error codes that can reach a client. Never rename one: devices and consoles branch on them. */
export const ERROR_CODES = [
  'INVALID',
  'UNKNOWN_EVENT',
  'NOT_FOUND',
  'CONFLICT',
  'UNIT_UNAVAILABLE',
  'INVALID_TRANSITION',
  /** A step that needs a reason was asked for without one (cancel, skip, take a unit off a job). */
  'REASON_REQUIRED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'TOO_LARGE',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The error half of every acknowledgement and HTTP error body. */
export interface WireError {
  code: ErrorCode;
  message: string;
  /** Position of the offending item in a batch, when the input was a batch. */
  index?: number;
}

/** Every command and every ingest event is answered with one of these. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: WireError };

/** Callback a Socket.IO handler calls exactly once with the outcome. */
export type AckFn<T> = (response: Ack<T>) => void;

export function ok<T>(data: T): Ack<T> {
  return { ok: true, data };
}

export function fail(code: ErrorCode, message: string, index?: number): { ok: false; error: WireError } {
  return index === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, index } };
}

/** An error that carries a wire code; domain modules throw it, transport layers turn it into an Ack. */
export class BeaconError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly index?: number,
  ) {
    super(message);
    this.name = 'BeaconError';
  }
}

/** Readable one-line summary of a zod failure: `lat: Too big: expected number to be <=90`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Validate `input` against `schema`, throwing a BeaconError('INVALID') with a readable message. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, index?: number): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new BeaconError('INVALID', describeZodError(result.error), index);
  }
  return result.data;
}

export const AckSchema = <T extends z.ZodType>(data: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data }),
    z.object({
      ok: z.literal(false),
      error: z.object({ code: z.enum(ERROR_CODES), message: z.string(), index: z.number().int().optional() }),
    }),
  ]);
