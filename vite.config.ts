import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer only; the Node side is bundled by build.config.mjs.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../out/renderer', emptyOutDir: true, sourcemap: true },
});
