// ESLint (flat config). Beyond the recommended rules, one rule keeps dependencies one-way
// (STYLE.md §1): apps → libs; a lib only through its index (`@carepact/<lib>`); a lib never imports
// an app, a lib above it in the layering below, or HTTP/Express types.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Lower libs first: a lib may import only the libs listed before it. */
const LAYERS = [
  'common',
  'config',
  'database',
  'audit',
  'queue',
  'identity',
  'residents',
  'templates',
  'rendering',
  'documents',
  'notifications',
  'signing',
  'archive',
  'testing',
];

const HTTP_ONLY = [
  { name: 'express', message: 'Domain libs never import HTTP types (STYLE.md §1).' },
  { name: '@nestjs/platform-express', message: 'Domain libs never import HTTP types (STYLE.md §1).' },
  { name: 'supertest', message: 'Only tests use supertest.' },
  {
    name: '@nestjs/common',
    importNames: ['HttpException', 'BadRequestException', 'NotFoundException', 'ForbiddenException', 'UnauthorizedException', 'Controller', 'Req', 'Res'],
    message: 'Domain code throws DomainError; controllers live in apps/api.',
  },
];

function libRules(lib, index) {
  const above = LAYERS.slice(index + 1).filter((l) => l !== 'testing' || lib !== 'testing');
  return {
    files: [`libs/${lib}/**/*.ts`],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: lib === 'testing' ? [] : HTTP_ONLY,
          patterns: [
            { group: ['**/apps/**', '../../apps/*'], message: 'A lib never imports an app.' },
            { group: ['@carepact/*/*'], message: 'Import a lib through its index: @carepact/<lib>.' },
            { group: ['../../*/src', '../../*/src/*', '../../../libs/*'], message: 'Import another lib as @carepact/<lib>.' },
            ...(above.length ? [{ group: above.map((l) => `@carepact/${l}`), message: `Layering: ${lib} may not depend on a lib above it (${above.join(', ')}).` }] : []),
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
      // We scan for control characters on purpose (NUL bytes, CR/LF in names).
      'no-control-regex': 'off',
    },
  },
  {
    files: ['apps/**/*.ts', 'apps/**/*.tsx', 'scripts/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@carepact/*/*', '**/libs/*/src/*'], message: 'Import a lib through its index: @carepact/<lib>.' }] },
      ],
    },
  },
  {
    files: ['apps/**/*.ts', 'apps/**/*.tsx'],
    ignores: ['**/*.spec.ts', '**/*.spec.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@carepact/*/*', '**/libs/*/src/*'], message: 'Import a lib through its index: @carepact/<lib>.' },
            { group: ['@carepact/testing'], message: 'libs/testing is for tests only.' },
          ],
        },
      ],
    },
  },
  {
    // The view layer escapes everything it renders; raw HTML enters through one audited component
    // (apps/api/src/views/trusted-html.tsx: the rendering lib's document fragments), nowhere else.
    files: ['apps/**/*.tsx'],
    ignores: ['apps/api/src/views/trusted-html.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Raw HTML only through <TrustedHtml> (views/trusted-html.tsx).' },
      ],
    },
  },
  ...LAYERS.map(libRules),
  {
    files: ['bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
