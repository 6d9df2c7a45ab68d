import { computed, onMounted, shallowRef, type ShallowRef } from 'vue';
import type { FeatureCollection } from 'geojson';
import { useI18n } from '../i18n/index.ts';
import { loadRegionPack } from '../map/region.ts';
import type { OpsSocket } from '../realtime/ops-socket.ts';
import { sendCommand } from './commands.ts';
import {
  buildJurisdictionTree,
  countyOfPoint,
  isWithin,
  jurisdictionsAround,
  type JurisdictionNode,
  type JurisdictionsAround,
} from './jurisdictions.ts';

/**
 * The jurisdiction tree for the console: names of every center (the generated townships and villages too),
 * what lies within what, and where a work order may go from a center. The tree is derived from the region
 * pack's boundaries; where a work order may go is asked of the server (`jurisdictions:around`).
 */
export function useJurisdictions(socket: ShallowRef<OpsSocket | null>) {
  const { locale } = useI18n();
  const tree = shallowRef<Map<string, JurisdictionNode>>(new Map());
  const boundaries = shallowRef<FeatureCollection | null>(null);

  onMounted(() => {
    loadRegionPack()
      .then((pack) => {
        boundaries.value = pack.boundaries;
        tree.value = buildJurisdictionTree(pack.boundaries);
      })
      .catch(() => undefined);
  });

  function name(adcode: string | null): string {
    if (!adcode) return '—';
    const node = tree.value.get(adcode);
    if (!node) return adcode;
    return (locale.value === 'en' ? node.name_en : node.name_zh) || node.name_zh;
  }

  /** The parent, siblings and children of a center: the server's answer, else (offline) the pack's tree. */
  async function around(adcode: string): Promise<JurisdictionsAround | null> {
    const answer = await sendCommand(socket.value, 'jurisdictions:around', { of: adcode }, 5000);
    if (answer.ok) return answer.data;
    return jurisdictionsAround(tree.value, adcode);
  }

  const counties = computed(() => [...tree.value.values()].filter((j) => j.level === 'county'));

  return {
    tree,
    counties,
    name,
    around,
    /** Whether `inner` is `outer` or below it. */
    within: (outer: string, inner: string | null) => isWithin(tree.value, outer, inner),
    /** The county of a point (a unit's position), or null outside every county or before the pack loads. */
    countyOf: (lon: number, lat: number) => (boundaries.value ? countyOfPoint(boundaries.value, lon, lat) : null),
  };
}
export type JurisdictionsApi = ReturnType<typeof useJurisdictions>;
