import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Inlined so its `import 'electron'` goes through vi.mock: Electron is mocked at its boundary.
    server: { deps: { inline: ['electron-store'] } },
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
