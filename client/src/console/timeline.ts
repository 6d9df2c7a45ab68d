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

/** The server words a few automatic reasons in English; the console says them in the dispatcher's language. */
function describeReason(text: string | null, t: Translate): string | null {
  if (!text) return null;
  const crew = /^crew reported (\w+)$/.exec(text);
  if (crew) return t('timeline.crew', { status: statusLabel(crew[1]!, t) });
  if (text === 'assessed when dispatched') return t('timeline.assessedOnDispatch');
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
        detail: withUnit(describeReason(entry.text, t)),
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
      return { ...base, title: t('timeline.priority'), detail: entry.text };
    case 'supervision':
      return {
        ...base,
        title: t('timeline.supervision'),
        detail: [entry.text, entry.ref ? t('timeline.escalated', { ref: areaName(entry.ref) }) : null]
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
      return { ...base, title: t('timeline.detection'), detail: entry.text };
  }
}
