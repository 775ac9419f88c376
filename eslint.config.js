// ESLint for imbridge: the rules that catch bugs, and the layer order (docs/architecture.md#layers).
// Formatting is Prettier's (`npm run format`), so no style rule is kept here.
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/**
 * The layers, lowest first. A module may import its own layer and those below it, never one above:
 * the vendor-free model at the bottom, the process that runs everything at the top.
 */
const LAYERS = [
  { name: 'base', paths: ['src/errors.ts', 'src/log.ts', 'src/replyBody.ts', 'src/wire.ts'] },
  { name: 'canonical', paths: ['src/canonical'] },
  { name: 'vendors', paths: ['src/vendors'] },
  { name: 'mappings', paths: ['mappings'] },
  { name: 'config', paths: ['src/config'] },
  { name: 'downstream', paths: ['src/downstream'] },
  { name: 'outbox', paths: ['src/outbox'] },
  { name: 'migration', paths: ['src/record', 'src/migration'] },
  { name: 'gateway', paths: ['src/gateway'] },
  { name: 'cli', paths: ['src/cli.ts', 'src/cluster.ts', 'src/runtime.ts', 'src/commands'] },
];

const zones = LAYERS.slice(0, -1).map((layer, i) => ({
  target: layer.paths.map((p) => `./${p}`),
  from: LAYERS.slice(i + 1).flatMap((above) => above.paths.map((p) => `./${p}`)),
  message: `the ${layer.name} layer must not import from a layer above it (docs/architecture.md#layers)`,
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.scratch/**', 'schemas/**', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Non-null assertions after a length or index check are how the code states what it knows.
      '@typescript-eslint/no-non-null-assertion': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Tests, benchmarks and the CLI talk to a terminal.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'src/cli.ts'],
    rules: { 'no-console': 'off' },
  },
  prettier,
);
