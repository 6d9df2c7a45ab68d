import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const serverUrl = process.env.BEACON_SERVER_URL ?? 'http://127.0.0.1:8080';

/** The wall, console and patrol terminal are one app; the Node server serves its build. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
  },
  server: {
    port: Number(process.env.BEACON_DEV_PORT ?? 5173),
    proxy: {
      '/socket.io': { target: serverUrl, ws: true },
      '/api': serverUrl,
      '/region': serverUrl,
      '/healthz': serverUrl,
    },
  },
});
