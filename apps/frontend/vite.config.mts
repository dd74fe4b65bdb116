/// <reference types="vite/client" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Only the dev server proxies; production serving (and its proxy) is server/src, so one BACKEND_URL
// convention serves both.
const backendUrl = process.env.BACKEND_URL ?? 'http://localhost:3001';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/frontend',
  plugins: [react()],
  // Vite's own tsconfig `paths` support (tsconfig.base.json maps @posestack/api-contracts to its source), so the
  // Docker builder needs neither Nx nor a built copy of the lib.
  resolve: { tsconfigPaths: true },
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
