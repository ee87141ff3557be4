import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

// The bundle lives in out/main; its siblings are out/preload and out/renderer.
const here = dirname(fileURLToPath(import.meta.url));

export const preloadPath = join(here, '..', 'preload', 'index.cjs');
export const rendererIndex = join(here, '..', 'renderer', 'index.html');
