// Lint, including the import rules of docs/ARCHITECTURE.md: shared imports nothing of the repo,
// core never imports `vscode` or host code, the host never imports the webview, the webview
// imports only shared, and no product file (src/**, webview/**) imports test code.
// test/unit/lint/boundaries.test.ts proves each rule fires. In flat config a later block's
// no-restricted-imports replaces an earlier one's, so every block repeats `noTest`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'Pure code must not import vscode: put VS Code glue in src/host.' };
const noTest = { group: ['**/test/*', '**/test/**', '**/test'], message: 'Product code never imports test code.' };
// zod/mini only, through src/shared/zod.ts (it switches on the English error messages); the classic
// API would add ~80 KiB to each bundle.
const noZod = [
  { name: 'zod', message: "Import zod as `import * as z from '…/shared/zod'` (zod/mini with English messages)." },
  { name: 'zod/mini', message: "Import zod as `import * as z from '…/shared/zod'`: it switches on the English error messages." },
];
const noWebview = { group: ['**/webview/*', '**/webview/**', '**/webview'], message: 'The host never imports the webview: share through src/shared.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'out/**', '.sandbox/**', 'test/fixtures/**', '.stryker-tmp/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: noZod, patterns: [noTest] }] },
  },
  {
    files: ['src/host/**/*.ts', 'src/extension.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: noZod, patterns: [noWebview, noTest] }] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noVscode, ...noZod], patterns: [{ group: ['../core/*', '../host/*', '../../webview/*', '*/core/*', '*/host/*'], message: 'shared imports nothing of the repo but shared.' }, noTest] }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noVscode, ...noZod], patterns: [{ group: ['**/host/*', '**/host', '**/webview/*'], message: 'core may import only core and shared.' }, noTest] }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noVscode, ...noZod], patterns: [{ group: ['**/src/core/*', '**/src/core/**', '**/src/host/*', '**/src/host/**'], message: 'the webview imports only src/shared.' }, noTest] }],
    },
  },
  {
    files: ['src/shared/zod.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noTest] }] },
  },
  {
    files: ['**/*.mjs', 'scripts/**', 'test/**', 'bench/**'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly', __dirname: 'readonly', fetch: 'readonly', window: 'readonly', document: 'readonly' } },
  },
);
