import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web app: Preact components in web/src, built into web/dist, which `npm start` serves next
 * to the API. `npm run build:web` (also run before `npm start` and by the e2e tests' setup).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One small bundle: no need for modulepreload polyfills on evergreen browsers.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: { fs: { allow: ['..'] } },
});
