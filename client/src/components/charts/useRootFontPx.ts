import { onBeforeUnmount, ref } from 'vue';

/**
 * The root font size in pixels (the wall's rem, which scales with the viewport), kept current on resize so
 * canvas charts draw their text at the same scale as the page around them.
 */
export function useRootFontPx() {
  const read = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const px = ref(read());
  const update = () => (px.value = read());
  window.addEventListener('resize', update);
  onBeforeUnmount(() => window.removeEventListener('resize', update));
  return px;
}
