import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { inspect, podman, podmanOk, REPO_DIR, STATE_DIR, TAG } from './support/podman';

const NODE_IMAGES = { backend: `tradepost-backend:${TAG}`, frontend: `tradepost-frontend:${TAG}` };
const RUNTIME_IMAGES = [...Object.values(NODE_IMAGES), `tradepost-nginx:${TAG}`];
/** What the Node Dockerfiles say never reaches a runtime image. */
const BUILD_TOOLS = ['gcc', 'g++', 'cc', 'c++', 'make', 'python3', 'npm', 'npx', 'corepack'];
const BIN_DIRS = ['usr/local/bin', 'usr/bin', 'bin', 'usr/local/sbin', 'usr/sbin', 'sbin'];

/** The image's files, mounted read-only on the host for the duration of `use`. */
async function withRootfs<T>(image: string, use: (root: string) => T): Promise<T> {
  const root = await podmanOk(['image', 'mount', image]);
  try {
    return use(root);
  } finally {
    await podmanOk(['image', 'unmount', image]);
  }
}

/** Paths under `dir` (relative to it) that a build leaves and nothing loads. */
function buildLeftovers(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) {
      if (['obj.target', '.deps', 'obj'].includes(entry.name)) out.push(`${rel}/`);
      else out.push(...buildLeftovers(dir, rel));
    } else if (/\.(o|a|obj|lib)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

const nodePin = () =>
  /^FROM node:(\d+\.\d+\.\d+)-/m.exec(
    readFileSync(path.join(REPO_DIR, 'backend/Dockerfile'), 'utf8'),
  )?.[1];

describe('the runtime images as built', () => {
  afterAll(() => {
    const file = path.join(STATE_DIR, 'images.tsv');
    if (!existsSync(file)) return;
    const rows = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    console.log(
      rows
        .map(
          ([image, ms, bytes]) =>
            `${image}: ${Math.round(Number(bytes) / 1e6)} MB, built in ${Math.round(Number(ms) / 1000)} s`,
        )
        .join('\n'),
    );
  });

  it.each(RUNTIME_IMAGES)(
    'when %s is inspected, then it runs as a non-root user and keeps its HEALTHCHECK',
    async (image) => {
      const config = await inspect<{
        Config: { User?: string };
        Healthcheck?: { Test?: string[] };
      }>('image', image);
      expect(config.Config.User).toMatch(/^[1-9]\d*(:\d+)?$/);
      expect(config.Healthcheck?.Test?.[0]).toBe('CMD');
    },
  );

  it.each(Object.values(NODE_IMAGES))(
    'when %s is searched, then it holds no compiler, npm or corepack',
    async (image) => {
      const found = await withRootfs(image, (root) =>
        BUILD_TOOLS.flatMap((tool) => BIN_DIRS.map((dir) => path.join(dir, tool))).filter((p) =>
          existsSync(path.join(root, p)),
        ),
      );
      expect(found).toEqual([]);
    },
  );

  it.each(Object.values(NODE_IMAGES))(
    'when the node_modules of %s are searched, then no object file or static library is left from compiling',
    async (image) => {
      const left = await withRootfs(image, (root) =>
        buildLeftovers(path.join(root, 'app', 'node_modules')),
      );
      expect(left).toEqual([]);
    },
  );

  it.each(Object.values(NODE_IMAGES))(
    "when %s runs node, then it is the Dockerfile's pinned version",
    async (image) => {
      const version = await podmanOk([
        'run',
        '--rm',
        '--pull=never',
        '--entrypoint',
        'node',
        image,
        '--version',
      ]);
      expect(version).toBe(`v${nodePin()}`);
    },
  );

  it('when the backend image loads its native modules as its user on a read-only root, then both work (built for its libc)', async () => {
    const script =
      "const db = require('better-sqlite3')(':memory:');" +
      "if (db.prepare('select 41 + 1 as n').get().n !== 42) process.exit(2);" +
      "require('argon2').hash('a password').then((h) => process.exit(h.startsWith('$argon2id$') ? 0 : 3));";
    const result = await podman([
      'run', '--rm', '--pull=never', '--no-healthcheck', '--read-only', '--read-only-tmpfs=false',
      '--user', '1000:1000',
      '--entrypoint', 'node', NODE_IMAGES.backend, '-e', script,
    ]); // prettier-ignore
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  });
});
