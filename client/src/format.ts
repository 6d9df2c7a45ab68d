import { formatStake, parseStake, type Unit, type UnitStatus } from '@beacon/shared';
import { translate, type Locale } from './i18n/index.ts';

/** `14:05:09` in Beijing time, the command center's clock whatever the browser's zone. */
export function formatClock(ms: number, withSeconds = true): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour: '2-digit',
    minute: '2-digit',
    second: withSeconds ? '2-digit' : undefined,
    hourCycle: 'h23',
  }).format(ms);
}

/** `2026年11月25日 星期三` / `Wed 25 Nov 2026`, Beijing time. */
export function formatDate(ms: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: locale === 'zh' ? 'long' : 'short',
    day: 'numeric',
    weekday: locale === 'zh' ? 'long' : 'short',
  }).format(ms);
}

/** A short "how long ago" for timers on screens. */
export function formatAgo(ms: number, now: number, locale: Locale): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return translate('time.ago.s', { n: s }, locale);
  const m = Math.floor(s / 60);
  if (m < 60) return translate('time.ago.m', { n: m }, locale);
  return translate('time.ago.h', { n: Math.floor(m / 60) }, locale);
}

/** Elapsed time as `mm:ss` or `h:mm:ss`, for SLA-style timers. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** `105.3012°E 27.3001°N` */
export function formatLonLat(lon: number, lat: number): string {
  return `${lon.toFixed(4)}°E ${lat.toFixed(4)}°N`;
}

export function formatKm(metres: number): string {
  return (metres / 1000).toFixed(metres < 10_000 ? 1 : 0);
}

/** Statuses whose duration matters on screens: the phases of a job and the drive back. */
export const TIMED_STATUSES: readonly UnitStatus[] = [
  'dispatched',
  'acknowledged',
  'en_route',
  'on_scene',
  'returning',
];

/** Time in the current status (`02:13`) for statuses where it matters, else null. `now` is server time. */
export function statusTimer(unit: Pick<Unit, 'status' | 'statusSince'>, now: number): string | null {
  return TIMED_STATUSES.includes(unit.status) ? formatElapsed(now - unit.statusSince) : null;
}

/** A stake as the server sends it (`SX1 K20+000 上行`) in the screen's language: the carriageway is a word. */
export function localStake(stake: string, locale: Locale): string {
  if (locale === 'zh') return stake;
  const parsed = parseStake(stake);
  return parsed ? formatStake(parsed, locale) : stake;
}
