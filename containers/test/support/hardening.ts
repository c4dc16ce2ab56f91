import { readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { inspect } from './podman';

export interface ContainerProcess {
  pid: number;
  command: string;
  /** Real, effective, saved and filesystem uid, as /proc/<pid>/status lists them. */
  uids: number[];
}

async function hostPid(container: string): Promise<number> {
  const state = await inspect<{ State: { Pid: number } }>('container', container);
  if (!state.State.Pid) throw new Error(`${container} is not running`);
  return state.State.Pid;
}

/**
 * Every process in the container's PID namespace, read from the host's /proc (so the
 * image needs no ps): the init podman adds, the service and anything it started.
 */
export async function processesOf(container: string): Promise<ContainerProcess[]> {
  const namespace = readlinkSync(`/proc/${await hostPid(container)}/ns/pid`);
  const out: ContainerProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/ns/pid`) !== namespace) continue;
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const uids = /^Uid:\s+(.*)$/m.exec(status)?.[1].split(/\s+/).map(Number) ?? [];
      out.push({ pid: Number(entry), command: /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?', uids });
    } catch {
      // The process ended while being read.
    }
  }
  return out;
}

/**
 * Tries to create a file in `dir` as the container's mounts see it (through the
 * host's /proc/<pid>/root, as root, so only a read-only mount can refuse); resolves
 * with 'written' or the error code (EROFS for a read-only root).
 */
export async function tryWrite(container: string, dir: string): Promise<string> {
  const file = `/proc/${await hostPid(container)}/root${dir.replace(/\/$/, '')}/.container-suite-probe`;
  try {
    writeFileSync(file, 'probe');
    rmSync(file);
    return 'written';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}
