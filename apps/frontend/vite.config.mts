/// <reference types="vite/client" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { nxViteTsPaths } from '@nx/vite/plugins/nx-tsconfig-paths.plugin';

// Only the dev server proxies; production serving (and its proxy) is server/src, so one BACKEND_URL
// convention serves both.
const backendUrl = process.env.BACKEND_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/frontend',
  plugins: [react(), nxViteTsPaths()],
  server: {
    port: 5173,
    host: 'localhost',
    proxy: { '/api': backendUrl },
  },
  build: {
    outDir: '../../dist/apps/frontend/static',
    emptyOutDir: true,
    reportCompressedSize: false,
  },
});
