import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Works both as `npx vite build web` and `npx vite build --config web/vite.config.ts`.
export default defineConfig({
  root,
  base: './', // relative asset paths: the backend may serve web/dist under any prefix
  publicDir: false,
  // Preact: JSX through Vite's own transform (oxc) with the automatic runtime from `preact`, plus
  // prefresh (hot reload) and the devtools bridge under the dev server only.
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0, // the MapLibre worker and the basemap must stay real files
    chunkSizeWarningLimit: 1600, // MapLibre alone is ~1.1 MB minified
    sourcemap: false,
  },
  server: {
    // `npx vite web` during development: proxy the API to a backend on :3000.
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/app-config.json': 'http://127.0.0.1:3000',
    },
  },
});
