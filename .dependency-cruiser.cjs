/**
 * Module boundaries, checked by `npm run lint:deps` (part of `npm test`'s CI command).
 * A module is a folder under libs/; its public API is its index.ts. See docs/architecture.md.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make initialisation order fragile and modules impossible to lift out.',
      from: { path: '^(libs|src|tools)/' },
      to: { circular: true },
    },
    {
      name: 'libs-not-to-src',
      severity: 'error',
      comment: 'libs/ are the modules; src/ is the composition root that wires them. Never the other way.',
      from: { path: '^libs/' },
      to: { path: '^(src|tools|bench)/' },
    },
    {
      name: 'only-through-module-index',
      severity: 'error',
      comment: 'Another module is used only through its index.ts (its ports, tokens, types and Nest module), never its internal files.',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/([^/]+)/.+', pathNot: ['^libs/$1/', '^libs/[^/]+/index\\.ts$'] },
    },
    {
      name: 'adapters-only-from-composition-root',
      severity: 'error',
      comment:
        "Adapters are chosen by the composition root (src/adapters/) and contract tests; a module never loads adapters, its own or another's, from its domain or application code.",
      from: { path: '^(libs|src|tools)/', pathNot: ['^libs/[^/]+/adapters/', '^src/adapters/'] },
      to: { path: '^libs/[^/]+/adapters/' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A file nothing imports is dead weight (entry points excepted).',
      from: {
        orphan: true,
        path: '^(libs|src|tools)/',
        pathNot: ['\\.d\\.ts$', '^src/main\\.ts$', '^tools/.+\\.cli\\.ts$'],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|web/dist)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
