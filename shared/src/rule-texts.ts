/**
 * The texts Beacon's own rules write into incident timelines and 督办 reasons. They are stored in English,
 * as the audit keeps them; screens recognise them (client/src/console/timeline.ts) and say them in the
 * reader's language. Server and client use these builders, so the two cannot drift apart.
 */
export const RULE_TEXTS = {
  crewReported: (status: string) => `crew reported ${status}`,
  assessedOnDispatch: 'assessed when dispatched',
  correlated: (source: string) => `${source} correlated`,
  redFogRaise: (from: string, to: string) => `${from} → ${to}: red fog`,
  slaMissed: (priority: string, timer: 'dispatch' | 'arrival' | 'closure', minutes: number) =>
    `${priority} ${timer} within ${minutes} min missed`,
  dailyAssignMissed: 'not assigned by the 09:00 cut-off',
  dailyCloseMissed: 'not closed by 21:00',
} as const;
