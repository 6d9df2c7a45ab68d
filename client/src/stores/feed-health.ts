import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { DeviceHealth, FeedHealthReport, FeedHealthSummary, StationHealth, UnitHealth } from '@beacon/shared';

/** A concern about one feed, as shown on the console: each maps to an i18n key `health.flag.<flag>`. */
export type HealthFlag = 'revoked' | 'quiet' | 'rejecting' | 'stuck' | 'lost' | 'jump';

/** Flags of a device: revoked, quiet (nothing accepted lately), rejecting (refused input in the last minute). */
export function deviceFlags(device: DeviceHealth): HealthFlag[] {
  const flags: HealthFlag[] = [];
  if (device.revoked) flags.push('revoked');
  if (device.quiet) flags.push('quiet');
  if (device.rejectsLastMinute > 0) flags.push('rejecting');
  return flags;
}

export function stationFlags(station: StationHealth): HealthFlag[] {
  return station.stuck ? ['stuck'] : [];
}

export function unitFlags(unit: UnitHealth): HealthFlag[] {
  const flags: HealthFlag[] = [];
  if (unit.lostSignal) flags.push('lost');
  if (unit.jumpFlagged) flags.push('jump');
  return flags;
}

/** Rows with concerns first (most concerns first), then by id; revoked devices last. */
export function concernsFirst<T>(rows: T[], flagsOf: (row: T) => HealthFlag[], idOf: (row: T) => string): T[] {
  const weight = (row: T) => {
    const flags = flagsOf(row);
    return flags.includes('revoked') ? -1 : flags.length;
  };
  return [...rows].sort((a, b) => weight(b) - weight(a) || idOf(a).localeCompare(idOf(b)));
}

/**
 * Feed health as the server judged it: the counts pushed to every screen (`health:updated`) and, on
 * the console, the full report fetched with `health:snapshot`.
 */
export const useFeedHealthStore = defineStore('feed-health', () => {
  const summary = shallowRef<FeedHealthSummary | null>(null);
  const report = shallowRef<FeedHealthReport | null>(null);

  function applySummary(next: FeedHealthSummary): void {
    if (summary.value && summary.value.generatedAt > next.generatedAt) return;
    summary.value = next;
  }

  function applyReport(next: FeedHealthReport): void {
    report.value = next;
    applySummary(next.summary);
  }

  function clear(): void {
    summary.value = null;
    report.value = null;
  }

  return { summary, report, applySummary, applyReport, clear };
});
