import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { importCycles, LAYERS, violation } from '../lib/layers';

const ROOT = path.join(__dirname, '..', '..');

describe('the layer rule', () => {
  it('when an import points down a service or inside one layer, then it passes', () => {
    expect(violation('backend/src/orders/service.ts', 'backend/src/auth/session')).toBeNull();
    expect(violation('backend/src/auth/service.ts', 'backend/src/users/password')).toBeNull();
    expect(violation('backend/src/http/route.ts', 'backend/src/http/openapi')).toBeNull();
    expect(violation('backend/src/config.ts', 'backend/src/errors')).toBeNull();
    expect(violation('frontend/src/http/csrf.ts', 'frontend/src/views/components/form')).toBeNull();
  });

  it('when an import points up, across features or out of src, then it is named', () => {
    expect(violation('backend/src/db/seed.ts', 'backend/src/auth/password')).toMatch(/points up/);
    expect(violation('backend/src/users/service.ts', 'backend/src/auth/session')).toMatch(
      /points up/,
    );
    expect(violation('backend/src/http/route.ts', 'backend/src/auth/session')).toMatch(/points up/);
    expect(violation('frontend/src/views/layout.tsx', 'frontend/src/http/session')).toMatch(
      /points up/,
    );
    expect(violation('backend/src/main.ts', 'scripts/lib/process')).toMatch(/outside/);
    expect(violation('backend/src/newthing.ts', 'backend/src/errors')).toMatch(/no layer/);
  });

  it('when folders import each other, then only the listed arrows pass, and tests are free', () => {
    expect(violation('bench/api.mjs', 'scripts/lib/process.js')).toBeNull();
    expect(violation('scripts/lib/stack.js', 'monitoring/lib/monitoring.js')).toMatch(
      /scripts\/ imports nothing from monitoring\//,
    );
    expect(violation('monitoring/lib/monitoring.js', 'scripts/lib/stack')).toMatch(
      /imports nothing/,
    );
    expect(violation('monitoring/test/rules.test.ts', 'scripts/lib/monitoring')).toBeNull();
    expect(violation('backend/jest.config.js', 'jest.preset')).toBeNull();
  });

  it('when a service gains a folder or top-level file, then it must be given a layer', () => {
    for (const [service, layers] of Object.entries(LAYERS)) {
      const listed = layers.flat();
      expect(new Set(listed).size).toBe(listed.length);
      const entries = readdirSync(path.join(ROOT, service, 'src'), { withFileTypes: true })
        .filter((e) => e.isDirectory() || !/\.test\.tsx?$/.test(e.name))
        .map((e) => e.name.replace(/\.tsx?$/, ''));
      expect(entries.filter((name) => !listed.includes(name))).toEqual([]);
      expect(listed.filter((name) => !entries.includes(name))).toEqual([]);
    }
  });

  it('when the repository ESLint config lints a file that imports up, then house/layers reports it', () => {
    const eslint = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
    const lint = (filename: string, input: string) => {
      const run = spawnSync(
        process.execPath,
        [eslint, '--stdin', '--stdin-filename', filename, '--format', 'json'],
        { cwd: ROOT, input, encoding: 'utf8' },
      );
      const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null }[] }[];
      return result.messages.map((m) => m.ruleId);
    };
    const seed = (from: string) => `module.exports = require('${from}');\n`;
    expect(lint('backend/src/db/example.cjs', seed('../seed/seed'))).toContain('house/layers');
    expect(lint('backend/src/app.cjs', seed('./seed/seed'))).not.toContain('house/layers');
  });

  it('when the code is walked import by import, then no module leads back to itself', () => {
    expect(importCycles(['backend/src', 'frontend/src', 'scripts', 'bench', 'monitoring'])).toEqual(
      [],
    );
  });

  it('when two modules import each other, then the walk names them', () => {
    const dir = mkdtempSync(path.join(ROOT, 'scripts', 'test', 'cycle-'));
    try {
      writeFileSync(path.join(dir, 'a.ts'), "import type { B } from './b';\nexport type A = B;\n");
      writeFileSync(path.join(dir, 'b.ts'), "import { a } from './a';\nexport const b = a;\n");
      writeFileSync(path.join(dir, 'c.ts'), "import { b } from './b';\nexport const c = b;\n");
      const relative = path.relative(ROOT, dir);
      expect(importCycles([relative])).toEqual([[`${relative}/a.ts`, `${relative}/b.ts`]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
