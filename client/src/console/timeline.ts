import type { TimelineEntry, UnitStatus } from '@beacon/shared';
import type { MessageKey } from '../i18n/index.ts';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** One timeline line as the console shows it. */
export interface TimelineLine {
  kind: TimelineEntry['kind'];
  at: number;
  actor: string;
  /** What happened: `已受理 → 已研判`, `备注`, `督办` … */
  title: string;
  /** The reason, the note, the attachment's title … */
  detail: string | null;
  /** An attachment's link (http or https only, as the server accepts). */
  url: string | null;
}

/** Who did it, in words: the console, a patrol terminal, a rule, or a named user. */
export function describeActor(actor: string, t: Translate): string {
  if (actor === 'console') return t('actor.console');
  const [kind, ...rest] = actor.split(':');
  const name = rest.join(':');
  if (kind === 'device') return t('actor.device', { id: name });
  if (kind === 'rule') {
    const key = `actor.rule.${name}` as MessageKey;
    const known = t(key);
    return known === key ? t('actor.rule', { name }) : known;
  }
  if (kind === 'user') return t('actor.user', { name });
  return actor;
}

/**
 * The server words the texts its rules write (timeline reasons, 督办 reasons) in English, as they stand in the
 * audit; screens say them in the reader's language. A person's own words pass through unchanged.
 */
export function describeRuleText(text: string | null, t: Translate): string | null {
  if (!text) return null;
  const crew = /^crew reported (\w+)$/.exec(text);
  if (crew) return t('timeline.crew', { status: statusLabel(crew[1]!, t) });
  if (text === 'assessed when dispatched') return t('timeline.assessedOnDispatch');
  const correlated = /^(\S+) correlated$/.exec(text);
  if (correlated) {
    const [kind, ...rest] = correlated[1]!.split(':');
    const source = kind === 'camera' && rest.length > 0 ? t('timeline.camera', { id: rest.join(':') }) : correlated[1]!;
    return t('timeline.correlated', { source });
  }
  const redFog = /^(P[1-4]) → (P[1-4]): red fog$/.exec(text);
  if (redFog) return t('timeline.redFogRaise', { from: redFog[1]!, to: redFog[2]! });
  const sla = /^(P[1-4]) (dispatch|arrival|closure) within (\d+) min missed$/.exec(text);
  if (sla) {
    const timer = t(`sla.kind.${sla[2] as 'dispatch' | 'arrival' | 'closure'}`);
    return t('rule.slaMissed', { priority: sla[1]!, timer, minutes: sla[3]! });
  }
  if (text === 'not assigned by the 09:00 cut-off') return t('rule.dailyAssignMissed');
  if (text === 'not closed by 21:00') return t('rule.dailyCloseMissed');
  return text;
}

function statusLabel(status: string, t: Translate): string {
  if (status === 'cleared') return t('patrol.cleared');
  const key = `unit.status.${status}` as MessageKey;
  const label = t(key);
  return label === key ? status : label;
}

function stateLabel(state: TimelineEntry['from'], t: Translate): string {
  return state ? t(`incident.state.${state}`) : '—';
}

/**
 * A timeline entry in words; unknown detail is passed through rather than hidden. `areaName` turns the adcode
 * a 督办 was escalated to into a name.
 */
export function describeTimelineEntry(
  entry: TimelineEntry,
  t: Translate,
  areaName: (adcode: string) => string = (adcode) => adcode,
): TimelineLine {
  const base = { kind: entry.kind, at: entry.at, actor: describeActor(entry.actor, t), url: null };
  const withUnit = (text: string | null) =>
    [text, entry.unitId ? t('timeline.unit', { unit: entry.unitId }) : null].filter(Boolean).join(' · ') || null;
  switch (entry.kind) {
    case 'created':
      return { ...base, title: t('timeline.created'), detail: entry.text };
    case 'transition':
      return {
        ...base,
        title: `${stateLabel(entry.from, t)} → ${stateLabel(entry.to, t)}`,
        detail: withUnit(describeRuleText(entry.text, t)),
      };
    case 'note':
      return { ...base, title: t('timeline.note'), detail: entry.text };
    case 'attachment': {
      const safe = entry.url && /^https?:\/\//i.test(entry.url) ? entry.url : null;
      return { ...base, title: t('timeline.attachment'), detail: entry.text ?? entry.url, url: safe };
    }
    case 'link':
      return { ...base, title: t('timeline.link', { ref: entry.ref ?? '—' }), detail: null };
    case 'merge':
      return {
        ...base,
        title:
          entry.to === 'merged'
            ? t('timeline.mergedInto', { ref: entry.ref ?? '—' })
            : t('timeline.mergedFrom', { ref: entry.ref ?? '—' }),
        detail: entry.text,
      };
    case 'priority':
      return { ...base, title: t('timeline.priority'), detail: describeRuleText(entry.text, t) };
    case 'supervision':
      return {
        ...base,
        title: t('timeline.supervision'),
        detail: [
          describeRuleText(entry.text, t),
          entry.ref ? t('timeline.escalated', { ref: areaName(entry.ref) }) : null,
        ]
          .filter(Boolean)
          .join(' · '),
      };
    case 'assignment':
      return {
        ...base,
        title: t('timeline.assignment', {
          unit: entry.unitId ?? '—',
          status: statusLabel(entry.text as UnitStatus, t),
        }),
        detail: null,
      };
    case 'detection':
      return { ...base, title: t('timeline.detection'), detail: describeRuleText(entry.text, t) };
  }
}
