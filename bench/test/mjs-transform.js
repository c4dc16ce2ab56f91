// Jest runs tests as CommonJS; the benchmark's libraries are ES modules (.mjs).
// This compiles one to CommonJS with TypeScript's transpiler, as ts-jest does for .ts.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const ts = require('typescript');

const self = readFileSync(__filename);

module.exports = {
  process(source, filename) {
    // CommonJS has no import.meta; a module that finds its files beside itself gets
    // the same URL from __filename.
    const commonjs = source.replace(
      /\bimport\.meta\.url\b/g,
      'require("node:url").pathToFileURL(__filename).href',
    );
    const { outputText, sourceMapText } = ts.transpileModule(commonjs, {
      fileName: filename.replace(/\.mjs$/, '.js'),
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        sourceMap: true,
      },
    });
    return { code: outputText, map: sourceMapText };
  },
  // The output depends on the source, this file and TypeScript's version.
  getCacheKey(source, filename) {
    return createHash('sha256')
      .update(self)
      .update(ts.version)
      .update(filename)
      .update(source)
      .digest('hex');
  },
};
