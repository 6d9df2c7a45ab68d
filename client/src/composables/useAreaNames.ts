import { onMounted, shallowRef } from 'vue';
import { useI18n } from '../i18n/index.ts';
import { areaNames, loadRegionPack } from '../map/region.ts';

/** `520521` → 大方县 / Dafang County, from the region pack (the adcode itself until it loads or when unknown). */
export function useAreaNames() {
  const { locale } = useI18n();
  const names = shallowRef<ReturnType<typeof areaNames>>(new Map());
  onMounted(() => {
    loadRegionPack()
      .then((pack) => (names.value = areaNames(pack)))
      .catch(() => undefined);
  });
  return (adcode: string): string => names.value.get(adcode)?.[locale.value] ?? adcode;
}
