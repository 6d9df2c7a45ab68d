import { OPS_NAMESPACE, type OpsClientToServerEvents, type OpsServerToClientEvents } from '@beacon/shared';
import type { Namespace, Server } from 'socket.io';
import type { Logger } from '../log.ts';
import type { FeedHealthStore } from './feed-health-store.ts';

/**
 * Push `health:updated` to this node's screens when the feed-health counts change, checked every
 * `intervalMs` (so at most that often). Nothing is computed while no screen is connected here.
 *
 * Node-local on purpose: every server node computes the same counts from the shared Redis and runs this
 * timer, so a broadcast through the cluster adapter would reach each screen once per node.
 */
export function createHealthPush({
  io,
  health,
  intervalMs,
  log,
}: {
  io: Server;
  health: FeedHealthStore;
  intervalMs: number;
  log: Logger;
}) {
  const ops = io.of(OPS_NAMESPACE) as unknown as Namespace<OpsClientToServerEvents, OpsServerToClientEvents>;
  let lastSent = '';
  let busy = false;
  let timer: NodeJS.Timeout | null = null;

  async function pushIfChanged(): Promise<void> {
    if (busy) return;
    if (ops.sockets.size === 0) {
      lastSent = '';
      return;
    }
    busy = true;
    try {
      const summary = await health.summary();
      const { generatedAt: _generatedAt, ...counts } = summary;
      const fingerprint = JSON.stringify(counts);
      if (fingerprint !== lastSent) {
        lastSent = fingerprint;
        ops.local.emit('health:updated', summary);
      }
    } catch (error) {
      log.warn({ err: error }, 'could not compute feed health');
    } finally {
      busy = false;
    }
  }

  return {
    pushIfChanged,
    start(): void {
      if (timer) return;
      timer = setInterval(() => void pushIfChanged(), intervalMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
export type HealthPush = ReturnType<typeof createHealthPush>;
