/** What the progress line shows. */
export interface Progress {
  /** 0..1 */
  fraction: number;
  /** Simulated time, epoch ms. */
  simTime: number;
  sent: number;
  acks: number;
  errors: number;
  /** Crew reports (drills); left out of the line when undefined (replays). */
  crew?: number;
}

export interface ProgressBar {
  update(progress: Progress): void;
  /** A line above the bar (an event of the timeline, a warning). */
  note(line: string): void;
  /** Finish the bar's line. Idempotent. */
  done(): void;
}

const WIDTH = 24;

/** The line itself: `▕██████░░░░▏  25%  sim 22:22:30 +08  events 1200  acks 1200  errors 0  crew 3`. */
export function formatProgress(p: Progress): string {
  const fraction = Math.min(1, Math.max(0, p.fraction));
  const filled = Math.round(fraction * WIDTH);
  const local = new Date(p.simTime + 8 * 3600_000).toISOString().slice(11, 19);
  return (
    `▕${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}▏ ${String(Math.floor(fraction * 100)).padStart(3)}%` +
    `  sim ${local} +08  events ${p.sent}  acks ${p.acks}  errors ${p.errors}${p.crew === undefined ? '' : `  crew ${p.crew}`}`
  );
}

/**
 * A single-line progress bar on a terminal (redrawn in place); on a pipe or a file, one line per tenth of
 * the run instead, so logs stay readable.
 */
export function createProgressBar(out: NodeJS.WritableStream & { isTTY?: boolean }): ProgressBar {
  const tty = out.isTTY === true;
  let last: Progress | null = null;
  let shownTenth = -1;
  let open = false;
  return {
    update(progress) {
      last = progress;
      if (tty) {
        out.write(`\r\x1b[2K${formatProgress(progress)}`);
        open = true;
        return;
      }
      const tenth = Math.floor(progress.fraction * 10);
      if (tenth > shownTenth) {
        shownTenth = tenth;
        out.write(`${formatProgress(progress)}\n`);
      }
    },
    note(line) {
      if (tty && open) out.write(`\r\x1b[2K${line}\n${last ? formatProgress(last) : ''}`);
      else out.write(`${line}\n`);
    },
    done() {
      if (tty && open) out.write('\n');
      open = false;
    },
  };
}
