import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['.bench-work/**', 'dist/**', 'node_modules/**', 'fixtures/**', 'test/corpus/**', 'test/corpus-workflows/**', 'coverage/**', '.cht-local/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // (bin/cht.js is CommonJS too: bin/package.json.)
    files: ['**/*.cjs', 'bin/cht.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Only the report layer and the CLI layer may print (DEVELOPERS.md: src/report is the only place that prints).
    files: ['src/**/*.ts'],
    ignores: ['src/report/**', 'src/cli/**'],
    rules: { 'no-console': 'error' },
  },
);
