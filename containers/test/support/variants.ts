import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { probe, waitHealthy } from './health';
import { REPO_DIR, SUITE_PREFIX } from './podman';
import type { Topology } from './topology';

/** Waits for a container of SERVICE to pass the compose file's health check for it. */
export async function serviceHealthy(topology: Topology, service: string, container: string) {
  const health = await topology.health(service);
  if (!health) throw new Error(`${service} has no health check`);
  await waitHealthy(container, health);
}

/**
 * Once the service is up (its compose check), the image's own HEALTHCHECK — what
 * `docker run` and other engines rely on — passes in the same container.
 */
export async function imageHealthPasses(
  topology: Topology,
  service: string,
  container: string,
  image: string,
) {
  await serviceHealthy(topology, service, container);
  const own = await topology.healthOfImage(image);
  if (!own) throw new Error(`${image} has no HEALTHCHECK`);
  const result = await probe(container, own);
  if (!result.ok) {
    throw new Error(`${image}'s HEALTHCHECK (${own.argv.join(' ')}) fails: ${result.output}`);
  }
}

/** A deliberately broken copy of a Dockerfile and the suite's check it must fail. */
export interface Control {
  name: string;
  dockerfile: string;
  service: string;
  change: (text: string) => string;
  check: (topology: Topology, service: string, container: string, image: string) => Promise<void>;
  failure: RegExp;
}

export const CONTROLS: Control[] = [
  {
    name: 'frontend/Dockerfile without COPY frontend/assets: the frontend never turns healthy',
    dockerfile: 'frontend/Dockerfile',
    service: 'frontend',
    change: (text) => text.replace(/^COPY frontend\/assets frontend\/assets\n/m, ''),
    check: (topology, service, container) => serviceHealthy(topology, service, container),
    failure: /stopped before it was healthy[\s\S]*ENOENT[\s\S]*assets/,
  },
  {
    name: "frontend/Dockerfile whose HEALTHCHECK calls curl, which the image lacks: the image's check fails",
    dockerfile: 'frontend/Dockerfile',
    service: 'frontend',
    change: (text) =>
      text.replace(
        /^(HEALTHCHECK [^\n]*\\\n)\s+CMD \[[^\n]*\]$/m,
        '$1  CMD ["curl", "-fsS", "http://127.0.0.1:3000/healthz"]',
      ),
    check: imageHealthPasses,
    failure: /HEALTHCHECK \(curl .*\) fails: .*(executable file .*not found|No such file)/,
  },
];

/** Builds the control's variant with containers/build.sh; resolves with its image name. */
export async function buildVariant(control: Control): Promise<string> {
  const original = readFileSync(path.join(REPO_DIR, control.dockerfile), 'utf8');
  const changed = control.change(original);
  if (changed === original) throw new Error(`control "${control.name}" changed nothing`);
  const dir = mkdtempSync(path.join(os.tmpdir(), `${SUITE_PREFIX}-control-`));
  const image = `localhost/${SUITE_PREFIX}/control:${CONTROLS.indexOf(control) + 1}`;
  try {
    writeFileSync(path.join(dir, 'Dockerfile'), changed);
    await promisify(execFile)(
      path.join(REPO_DIR, 'containers', 'build.sh'),
      [image, path.join(dir, 'Dockerfile')],
      { timeout: 600_000 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return image;
}
