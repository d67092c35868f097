import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const providerTable = "The provider's table belongs to server/oidc: go through the pool's ProviderRevocation port.";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ['.next/**', '.next-*/**', 'bench/results/**', 'node_modules/**', 'data/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', 'tmp-*.mjs', 'sdk/dist/**'],
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Layers depend one way (see DESIGN.md): the pool never reaches up into the protocols, the admin
    // API or the CLI (server/runtime.ts wires them onto it); server/ knows nothing of the Next.js app;
    // components are presentation only; shared test helpers live in server/testing, never in e2e/.
    rules: {
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './server/pool', from: ['./server/federation', './server/oidc', './server/admin', './server/cli'], message: 'The pool defines a port and server/runtime.ts wires the upper layer into it.' },
            { target: './server', from: './app', message: 'server/ is driven by app/, never the other way.' },
            { target: './server', from: './e2e', message: 'Shared test helpers live in server/testing; e2e imports them from there.' },
            { target: './components', from: './server', message: 'Components are presentational: pass data in as props.' },
          ],
        },
      ],
    },
  },
  {
    // Nor does it read the provider's storage: what it needs of sessions and grants goes through
    // its ProviderRevocation port (server/pool/revocation.ts), which server/oidc implements.
    files: ['server/pool/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'Literal[value=/oidc_artifacts/]', message: providerTable },
        { selector: 'TemplateElement[value.raw=/oidc_artifacts/]', message: providerTable },
      ],
    },
  },
  {
    // Playwright fixtures call their callback `use`, which is not a React hook.
    files: ['e2e/**', 'playwright.config.ts'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
];

export default config;
