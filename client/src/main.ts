import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { adoptDisplayLink } from './auth/tokens.ts';
import { createBeaconRouter } from './router.ts';

// A wall opened with its display link (`/?display=<token>`) keeps the token and drops it from the address.
adoptDisplayLink();
createApp(App).use(createPinia()).use(createBeaconRouter()).mount('#app');
