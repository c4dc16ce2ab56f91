/**
 * Shared jest settings: TypeScript through SWC (type checking is `tsc -b`'s job),
 * CommonJS output, tests in `test/` and beside the code as `*.test.ts(x)`.
 * @param {string} displayName
 * @returns {import('jest').Config}
 */
module.exports = (displayName) => ({
  displayName,
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic', importSource: 'preact' } },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  testMatch: [
    '<rootDir>/test/**/*.test.ts',
    '<rootDir>/test/**/*.test.tsx',
    '<rootDir>/src/**/*.test.ts',
  ],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
});
