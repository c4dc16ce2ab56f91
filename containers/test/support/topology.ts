import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import {
  loadCompose,
  type ComposeFile,
  type ComposeService,
} from '../../../k8s/test/support/compose';
import { durationMs, healthOf, waitHealthy, type Health } from './health';
import { logsOf, podman, podmanLogged, podmanOk, SUITE_LABEL } from './podman';

/**
 * docker-compose.yml brought up with podman the way Docker Compose v2 would: profiles,
 * `depends_on` conditions (healthy, completed successfully), replicas, health checks
 * run as Docker runs them, Docker's tmpfs defaults, names `<project>-<service>-<n>`
 * and `<project>_<network>`. podman-compose 1.0.3 does none of the first four
 * correctly, so the suite drives podman itself. A key it does not know is an error,
 * never silently dropped.
 */
const KNOWN_KEYS = new Set([
  'image', 'build', 'command', 'environment', 'ports', 'depends_on', 'healthcheck',
  'read_only', 'tmpfs', 'cap_drop', 'security_opt', 'init', 'user', 'restart', 'profiles',
  'secrets', 'volumes', 'networks', 'deploy', 'stop_grace_period', 'logging',
]); // prettier-ignore

/** Docker's options for a tmpfs given without any (podman's omit noexec). */
const DOCKER_TMPFS_OPTIONS = 'rw,noexec,nosuid,nodev';

export interface TopologyOptions {
  project: string;
  /** Variables for the compose file's `${…}` (secrets folder, published port, tag). */
  env: Record<string, string>;
  profiles: string[];
}

export class Topology {
  readonly compose: ComposeFile;
  private readonly root: string;
  private readonly satisfied = new Set<string>();

  constructor(
    file: string,
    readonly options: TopologyOptions,
  ) {
    this.root = path.dirname(file);
    this.compose = loadCompose(file, options.env);
    for (const [name, service] of Object.entries(this.compose.services)) {
      const unknown = Object.keys(service).filter((k) => !k.startsWith('x-') && !KNOWN_KEYS.has(k));
      if (unknown.length > 0)
        throw new Error(`${name}: unsupported compose keys ${unknown.join()}`);
    }
  }

  /** Services enabled under the selected profiles. */
  active(): string[] {
    return Object.entries(this.compose.services)
      .filter(([, s]) => !s.profiles || s.profiles.some((p) => this.options.profiles.includes(p)))
      .map(([name]) => name);
  }

  service(name: string): ComposeService {
    const service = this.compose.services[name];
    if (!service) throw new Error(`no service ${name} in the compose file`);
    return service;
  }

  image(name: string): string {
    return this.service(name).image ?? `${this.options.project}-${name}`;
  }

  containers(name: string): string[] {
    const replicas = this.service(name).deploy?.replicas ?? 1;
    return Array.from({ length: replicas }, (_, i) => `${this.options.project}-${name}-${i + 1}`);
  }

  async health(name: string): Promise<Health | null> {
    return healthOf(this.service(name).healthcheck, this.image(name));
  }

  /** The image's own HEALTHCHECK (what `docker run` and other engines use). */
  async healthOfImage(image: string): Promise<Health | null> {
    return healthOf(undefined, image);
  }

  /**
   * One more container of service NAME from another image (a control's variant), on the
   * service's networks with its settings, never restarted; resolves with its name.
   */
  async startExtra(name: string, image: string): Promise<string> {
    const container = `${this.options.project}-${name}-extra`;
    const result = await podman([
      'run',
      '-d',
      ...(await this.createArgs(name, container, true, image)),
    ]);
    if (result.code !== 0) throw new Error(`${container} was not created: ${result.stderr.trim()}`);
    return container;
  }

  /** Starts `names` (default: every active service) after what they depend on. */
  async up(names = this.active()): Promise<void> {
    for (const name of names) await this.start(name);
  }

  /** `compose run --rm NAME`: its dependencies up, then NAME in the foreground; its exit code. */
  async run(name: string, logFile: string): Promise<number> {
    await this.dependencies(name);
    const fd = openSync(logFile, 'w');
    try {
      const args = await this.createArgs(name, `${this.options.project}-${name}-run`, true);
      return await podmanLogged(['run', '--rm', ...args], fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Removes every container, network and volume of this project (and nothing else). */
  async down(): Promise<void> {
    const filters = ['--filter', `label=com.docker.compose.project=${this.options.project}`];
    // Killed at once (nothing is left to drain), again if a restart policy raced the kill.
    for (let attempt = 1; ; attempt += 1) {
      const ids = (await podmanOk(['ps', '-a', '-q', ...filters])).split('\n').filter(Boolean);
      if (ids.length === 0) break;
      const result = await podman(['rm', '-f', '-v', '-t', '0', ...ids], { timeoutMs: 120_000 });
      if (result.code !== 0 && attempt === 3) {
        throw new Error(`cannot remove ${this.options.project}'s containers: ${result.stderr}`);
      }
    }
    const networks = await podmanOk(['network', 'ls', '-q', ...filters]);
    for (const network of networks.split('\n').filter(Boolean)) {
      await podmanOk(['network', 'rm', '-f', network]);
    }
    const volumes = await podmanOk(['volume', 'ls', '-q', ...filters]);
    for (const volume of volumes.split('\n').filter(Boolean)) {
      await podmanOk(['volume', 'rm', '-f', volume]);
    }
    this.satisfied.clear();
  }

  private async start(name: string): Promise<void> {
    if (this.satisfied.has(`started:${name}`)) return;
    await this.dependencies(name);
    for (const container of this.containers(name)) {
      const result = await podman(['run', '-d', ...(await this.createArgs(name, container))]);
      if (result.code !== 0) {
        throw new Error(`${container} was not created: ${result.stderr.trim()}`);
      }
    }
    this.satisfied.add(`started:${name}`);
  }

  /** Waits, as compose does, for each dependency's condition before NAME starts. */
  private async dependencies(name: string): Promise<void> {
    const dependsOn = this.service(name).depends_on ?? {};
    const entries = Array.isArray(dependsOn)
      ? dependsOn.map((d): [string, { condition?: string }] => [d, {}])
      : Object.entries(dependsOn);
    for (const [dependency, { condition = 'service_started' }] of entries) {
      await this.start(dependency);
      const key = `${condition}:${dependency}`;
      if (this.satisfied.has(key)) continue;
      if (condition === 'service_healthy') await this.waitHealthy(dependency);
      else if (condition === 'service_completed_successfully') await this.waitCompleted(dependency);
      else if (condition !== 'service_started') throw new Error(`unknown condition ${condition}`);
      this.satisfied.add(key);
    }
  }

  async waitHealthy(name: string): Promise<void> {
    const health = await this.health(name);
    if (!health) throw new Error(`${name} is waited on as healthy but has no health check`);
    await Promise.all(this.containers(name).map((c) => waitHealthy(c, health)));
  }

  private async waitCompleted(name: string): Promise<void> {
    for (const container of this.containers(name)) {
      const code = await podmanOk(['wait', container], { timeoutMs: 600_000 });
      if (code !== '0') {
        throw new Error(`${container} exited ${code}:\n${await logsOf(container)}`);
      }
    }
  }

  /** `podman run` arguments for one container; a one-off run neither restarts nor publishes. */
  private async createArgs(
    name: string,
    container: string,
    oneOff = false,
    image = this.image(name),
  ): Promise<string[]> {
    const s = this.service(name);
    const project = this.options.project;
    if ((await podman(['image', 'exists', image])).code !== 0) {
      throw new Error(`${name}: image ${image} does not exist (containers/build.sh builds it)`);
    }
    const args = ['--name', container, '--pull=never', '--no-healthcheck'];
    args.push('--label', `${SUITE_LABEL}=run`);
    args.push('--label', `com.docker.compose.project=${project}`);
    args.push('--label', `com.docker.compose.service=${name}`);
    if (s.read_only) args.push('--read-only', '--read-only-tmpfs=false');
    for (const mount of s.tmpfs ?? []) {
      args.push('--tmpfs', mount.includes(':') ? mount : `${mount}:${DOCKER_TMPFS_OPTIONS}`);
    }
    for (const cap of s.cap_drop ?? []) args.push('--cap-drop', cap);
    for (const option of s.security_opt ?? []) args.push('--security-opt', option);
    if (s.init) args.push('--init');
    if (s.user) args.push('--user', s.user);
    if (s.restart && !oneOff) args.push('--restart', s.restart);
    const grace = durationMs(s.stop_grace_period);
    if (grace !== undefined) args.push('--stop-timeout', String(Math.ceil(grace / 1000)));
    if (s.logging?.driver) args.push('--log-driver', s.logging.driver);
    for (const [key, value] of Object.entries(s.logging?.options ?? {})) {
      args.push('--log-opt', `${key}=${value}`);
    }
    for (const [key, value] of Object.entries(s.environment ?? {}))
      args.push('-e', `${key}=${value}`);
    for (const secret of s.secrets ?? []) {
      const file = this.compose.secrets?.[secret]?.file;
      if (!file) throw new Error(`${name}: secret ${secret} has no file`);
      args.push('-v', `${path.resolve(this.root, file)}:/run/secrets/${secret}:ro`);
    }
    for (const volume of s.volumes ?? []) args.push('-v', await this.volume(volume));
    for (const network of s.networks ?? ['default']) {
      args.push('--network', `${await this.network(network)}:alias=${name}`);
    }
    for (const port of oneOff ? [] : (s.ports ?? [])) args.push('-p', port);
    return [...args, image, ...(s.command ?? [])];
  }

  private async volume(spec: string): Promise<string> {
    const [source, ...rest] = spec.split(':');
    if (source.startsWith('.') || source.startsWith('/')) {
      return [path.resolve(this.root, source), ...rest].join(':');
    }
    if (!this.compose.volumes || !(source in this.compose.volumes)) {
      throw new Error(`volume ${source} is not declared`);
    }
    const name = `${this.options.project}_${source}`;
    if ((await podman(['volume', 'exists', name])).code !== 0) {
      await podmanOk(['volume', 'create', ...this.labels(), name]);
    }
    return [name, ...rest].join(':');
  }

  private async network(network: string): Promise<string> {
    const name = `${this.options.project}_${network}`;
    if ((await podman(['network', 'exists', name])).code !== 0) {
      const internal = this.compose.networks?.[network]?.internal ? ['--internal'] : [];
      await podmanOk(['network', 'create', ...internal, ...this.labels(), name]);
    }
    return name;
  }

  private labels(): string[] {
    return [
      '--label',
      `${SUITE_LABEL}=run`,
      '--label',
      `com.docker.compose.project=${this.options.project}`,
    ];
  }
}
