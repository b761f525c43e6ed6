// TypeScript lint rules the CI runs (`npm run lint:ts`): typescript-eslint's recommended
// set over src, bench, e2e and scripts. Formatting is Prettier's job, not the linter's.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'test-results/', 'playwright-report/', 'public/', 'pytorch/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks a deliberately unused binding (e.g. a field dropped by destructuring).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
);
