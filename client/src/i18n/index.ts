import { ref } from 'vue';
import { messages, type Locale, type MessageKey } from './messages.ts';

export type { Locale, MessageKey };

const STORAGE_KEY = 'beacon.locale';

function initialLocale(): Locale {
  const fromUrl = typeof location !== 'undefined' ? new URLSearchParams(location.search).get('lang') : null;
  if (fromUrl === 'en' || fromUrl === 'zh') return fromUrl;
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  return stored === 'en' ? 'en' : 'zh';
}

/** The current UI language; Chinese unless `?lang=en` or the toggle chose English. */
export const locale = ref<Locale>(initialLocale());

/** Translate a key, filling `{name}` placeholders. */
export function translate(
  key: MessageKey,
  params: Record<string, string | number> = {},
  lang: Locale = locale.value,
): string {
  const template: string = messages[lang][key] ?? messages.zh[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export function toggleLocale(): void {
  locale.value = locale.value === 'zh' ? 'en' : 'zh';
  try {
    localStorage.setItem(STORAGE_KEY, locale.value);
  } catch {
    // Storage may be unavailable on a locked-down wall PC; the toggle still works for this session.
  }
  document.documentElement.lang = locale.value === 'zh' ? 'zh-CN' : 'en';
}

/** For templates: `const { t } = useI18n()`; re-renders when the language changes. */
export function useI18n() {
  return {
    locale,
    t: (key: MessageKey, params?: Record<string, string | number>) => translate(key, params, locale.value),
    toggleLocale,
  };
}
