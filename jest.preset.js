/**
 * Shared jest settings: TypeScript through ts-jest in transpile-only mode (type
 * checking is `npm run typecheck`'s job), CommonJS output, tests in `test/` and
 * beside the code as `*.test.ts(x)`.
 * @param {string} displayName
 * @returns {import('jest').Config}
 */
module.exports = (displayName) => ({
  displayName,
  testEnvironment: 'node',
  transform: {
    '^.+\\.tsx?$': [
      'ts-jest',
      {
        tsconfig: {
          isolatedModules: true,
          allowJs: true,
          target: 'ES2022',
          module: 'commonjs',
          esModuleInterop: true,
          jsx: 'react',
          jsxFactory: 'h',
          jsxFragmentFactory: 'Fragment',
          sourceMap: true,
        },
      },
    ],
  },
  testMatch: [
    '<rootDir>/test/**/*.test.ts',
    '<rootDir>/test/**/*.test.tsx',
    '<rootDir>/src/**/*.test.ts',
    '<rootDir>/src/**/*.test.tsx',
  ],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
});
