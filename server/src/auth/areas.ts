import type { Jurisdictions } from '../region/jurisdictions.ts';

/** The Socket.IO room of the screens signed in for one jurisdiction. */
export function areaRoom(adcode: string): string {
  return `area:${adcode}`;
}

/**
 * Areas of responsibility on top of the jurisdiction tree: a center sees its own jurisdiction and everything
 * below it. Things outside every jurisdiction (a point beyond the region's boundaries) belong to the top.
 */
export function createAreas(jurisdictions: Jurisdictions) {
  const all = jurisdictions.list();
  const roots = all.filter((j) => j.parentAdcode === null || !jurisdictions.get(j.parentAdcode)).map((j) => j.adcode);

  /** The jurisdiction and every one above it (self first). */
  function chain(adcode: string): string[] {
    const out: string[] = [];
    for (let at: string | null = adcode; at && !out.includes(at); at = jurisdictions.parentOf(at)) out.push(at);
    return out;
  }

  return {
    roots,

    /** Whether a known jurisdiction (users are bound to one of these). */
    isKnown(adcode: string): boolean {
      return jurisdictions.get(adcode) !== null;
    },

    /** Whether a user of `userArea` may see and act on something in `adcode` (null: outside every jurisdiction). */
    contains(userArea: string, adcode: string | null): boolean {
      if (adcode === null) return roots.includes(userArea);
      return chain(adcode).includes(userArea);
    },

    /** Whether the point lies in the user's area. */
    containsPoint(userArea: string, lon: number | null, lat: number | null): boolean {
      const adcode = lon === null || lat === null ? null : jurisdictions.locate(lon, lat);
      return this.contains(userArea, adcode);
    },

    /** Rooms that must hear about something in `adcode`: its own and every one above; the top for null. */
    roomsOf(adcode: string | null): string[] {
      return (adcode === null ? roots : chain(adcode)).map(areaRoom);
    },

    roomsOfPoint(lon: number | null, lat: number | null): string[] {
      return this.roomsOf(lon === null || lat === null ? null : jurisdictions.locate(lon, lat));
    },

    locate(lon: number, lat: number): string | null {
      return jurisdictions.locate(lon, lat);
    },
  };
}
export type Areas = ReturnType<typeof createAreas>;
