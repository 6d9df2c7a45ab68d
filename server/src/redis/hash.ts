/** Helpers for entities stored as flat Redis hashes: every field a string, '' meaning null. */

export function encodeField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

export function encodeHash(entity: Record<string, string | number | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(entity)) out[k] = encodeField(v);
  return out;
}

export function decodeNumber(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export function decodeString(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}
