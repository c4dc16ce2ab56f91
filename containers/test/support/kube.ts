import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { K8sObject } from '../../../k8s/test/support/types';
import type { Workload } from '../../../k8s/test/support/workloads';
import { inspect, podman, podmanOk, SUITE_PREFIX, TAG } from './podman';

/**
 * A rendered Deployment or Job played by `podman kube play` as one pod, with as little
 * changed as podman needs (each change is a gap the suite cannot cover, listed in
 * containers/README.md):
 * - images: the suite's builds (`tradepost-*:ctsuite`) instead of the overlay's tag;
 * - Secrets: podman 4.3 crashes on `secret` volumes, so the suite writes the files as
 *   the kubelet does (owner root, group fsGroup, mode defaultMode, plus 0440 under an
 *   fsGroup) and mounts them as a read-only hostPath;
 * - emptyDir volumes get the pod's name in theirs (podman makes a named volume of each);
 * - Services: podman has none, so a pod reaches another by a hostAliases entry for the
 *   Service's name pointing at that pod's address.
 */
export interface PlayedPod {
  name: string;
  ip: string;
  containers: string[];
}

type Loose = Record<string, unknown>;

interface LooseVolume {
  name: string;
  secret?: { secretName: string; defaultMode?: number };
  emptyDir?: unknown;
  hostPath?: { path: string; type: string };
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** `tradepost-backend:local` → the image containers/build.sh made. */
const suiteImage = (image: string) => `localhost/${image.replace(/:[^:/]+$/, '')}:${TAG}`;

/** The files of Secret `secret` as the kubelet writes a secret volume for this pod. */
function writeSecretVolume(
  dir: string,
  secret: K8sObject,
  defaultMode: number,
  fsGroup: number | undefined,
) {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const data = {
    ...Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
    ),
    ...Object.fromEntries(Object.entries(secret.stringData ?? {}).map(([k, v]) => [k, v])),
  };
  for (const [key, value] of Object.entries(data)) {
    const file = path.join(dir, key);
    writeFileSync(file, value);
    chownSync(file, 0, fsGroup ?? 0);
    chmodSync(file, fsGroup === undefined ? defaultMode : defaultMode | 0o440);
  }
}

export class KubePlay {
  private readonly played: string[] = [];
  private readonly dir: string;

  constructor(
    readonly network: string,
    private readonly objects: K8sObject[],
    scratch = os.tmpdir(),
  ) {
    this.dir = path.join(scratch, `${SUITE_PREFIX}-kube`);
  }

  /**
   * Plays `workload` as pod `<prefix>-<name>`, reaching the given Services by their
   * pods' addresses; resolves once podman started it.
   */
  async play(workload: Workload, services: Record<string, string> = {}): Promise<PlayedPod> {
    const name = `${SUITE_PREFIX}-${workload.name}`;
    const spec = clone(workload.template.spec) as unknown as Loose & {
      containers: (Loose & {
        image: string;
        envFrom?: { configMapRef?: { name: string; optional?: boolean } }[];
      })[];
      volumes?: LooseVolume[];
      securityContext?: { fsGroup?: number };
    };
    const fsGroup = spec.securityContext?.fsGroup;
    for (const volume of spec.volumes ?? []) {
      if (volume.secret) {
        const secret = this.find('Secret', volume.secret.secretName);
        const dir = path.join(this.dir, name, volume.name);
        writeSecretVolume(dir, secret, volume.secret.defaultMode ?? 0o644, fsGroup);
        delete volume.secret;
        volume.hostPath = { path: dir, type: 'Directory' };
      }
    }
    const renamed = (v: string) => `${name}-${v}`;
    for (const volume of spec.volumes ?? [])
      if (volume.emptyDir) volume.name = renamed(volume.name);
    const emptyDirs = new Set((spec.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name));
    const configMaps = new Set<string>();
    for (const container of spec.containers) {
      container.image = suiteImage(container.image);
      for (const mount of (container.volumeMounts ?? []) as { name: string }[]) {
        if (emptyDirs.has(renamed(mount.name))) mount.name = renamed(mount.name);
      }
      // An optional ConfigMap the overlay does not have contributes nothing, as in Kubernetes.
      container.envFrom = (container.envFrom ?? []).filter(
        (source) =>
          !source.configMapRef?.optional || this.has('ConfigMap', source.configMapRef.name),
      );
      for (const source of container.envFrom) {
        if (source.configMapRef) configMaps.add(source.configMapRef.name);
      }
      for (const env of (container.env ?? []) as {
        valueFrom?: { configMapKeyRef?: { name: string } };
      }[]) {
        if (env.valueFrom?.configMapKeyRef) configMaps.add(env.valueFrom.configMapKeyRef.name);
      }
    }
    spec.hostAliases = Object.entries(services).map(([hostname, ip]) => ({
      ip,
      hostnames: [hostname],
    }));
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec };
    const docs = [...[...configMaps].map((c) => this.find('ConfigMap', c)), pod];
    const file = path.join(this.dir, `${name}.yaml`);
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(file, docs.map((d) => stringify(d)).join('---\n'));
    this.played.push(name);
    await podmanOk(['kube', 'play', '--network', this.network, file], { timeoutMs: 120_000 });
    const details = JSON.parse(await podmanOk(['pod', 'inspect', name])) as {
      InfraContainerID: string;
      Containers: { Name: string }[];
    };
    const infra = await inspect<{
      NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
    }>('container', details.InfraContainerID);
    return {
      name,
      ip: infra.NetworkSettings.Networks[this.network].IPAddress,
      containers: details.Containers.map((c) => c.Name).filter((c) => !c.endsWith('-infra')),
    };
  }

  /** Removes every pod this played (with their containers' volumes) and their files. */
  async remove(): Promise<void> {
    for (const name of this.played) {
      const ids = (await podman(['ps', '-aq', '--filter', `pod=${name}`])).stdout.split('\n');
      if (ids.some(Boolean)) await podman(['rm', '-f', '-v', '-t', '2', ...ids.filter(Boolean)]);
      await podman(['pod', 'rm', '-f', name]);
      for (const volume of (await podman(['volume', 'ls', '-q'])).stdout.split('\n')) {
        if (volume.startsWith(`${name}-`)) await podman(['volume', 'rm', '-f', volume]);
      }
    }
    this.played.length = 0;
  }

  private has(kind: string, name: string): boolean {
    return this.objects.some((o) => o.kind === kind && o.metadata.name === name);
  }

  private find(kind: string, name: string): K8sObject {
    const found = this.objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`the rendered overlay has no ${kind} ${name}`);
    return found;
  }
}

export interface Probe {
  httpGet?: { path?: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

/** One probe as the kubelet makes it, from outside the pod: true when it succeeds. */
export async function probeOnce(
  ip: string,
  probe: Probe,
  ports: { name?: string; containerPort: number }[],
): Promise<boolean> {
  const portOf = (p: number | string) =>
    typeof p === 'number' ? p : ports.find((x) => x.name === p)?.containerPort;
  const timeout = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet) {
    const port = portOf(probe.httpGet.port);
    try {
      const response = await fetch(`http://${ip}:${port}${probe.httpGet.path ?? '/'}`, {
        signal: AbortSignal.timeout(timeout),
        redirect: 'manual',
      });
      return response.status >= 200 && response.status < 400;
    } catch {
      return false;
    }
  }
  if (probe.tcpSocket) {
    const port = portOf(probe.tcpSocket.port);
    return new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: ip, port: port ?? 0, timeout });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
      socket.once('timeout', () => done(false));
    });
  }
  throw new Error('only httpGet and tcpSocket probes are played');
}
