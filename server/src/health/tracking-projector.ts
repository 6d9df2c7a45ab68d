import type { Logger } from '../log.ts';
import type { Projector, StreamEntry } from '../pipeline/projector.ts';
import type { FeedHealthStore } from './feed-health-store.ts';

/**
 * The rules projector, followed by feed-health tracking of the same entries. Health is monitoring, not
 * state: if recording it fails the entries are still acknowledged (and logged), so a health hiccup never
 * replays detections into incidents.
 */
export function trackFeedHealth(projector: Projector, health: FeedHealthStore, log: Logger): Projector {
  return {
    async project(entries: StreamEntry[]): Promise<void> {
      await projector.project(entries);
      try {
        await health.recordAccepted(entries);
      } catch (error) {
        log.warn({ err: error, count: entries.length }, 'could not record feed health');
      }
    },
  };
}
