import { defineConfig } from 'vite';

/** The gateway's public API, for `vite` and `vite preview` (in production the gateway serves both). */
const proxy = { '/api': 'http://127.0.0.1:18080' };

/** The storefront: one page, its assets hashed under /assets (the gateway caches those for a year). */
export default defineConfig({
  root: 'src',
  base: '/',
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  server: { proxy },
  preview: { proxy },
});
