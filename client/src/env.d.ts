declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
declare module 'maplibre-gl/dist/maplibre-gl-worker.mjs?url' {
  const url: string;
  export default url;
}

interface ImportMetaEnv {
  /** Optional intranet basemap under the region: a `{z}/{x}/{y}` raster tile template or a style URL. */
  readonly VITE_BEACON_TILES?: string;
}
