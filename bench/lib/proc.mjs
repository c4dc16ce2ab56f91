// What a benchmark reads about the processes it measures, from Linux's /proc.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 1000 / (Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100);

/** Fields of /proc/PID/stat after the command name (field 3 onwards). */
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU time (user + system) a process has used so far, in ms; 0 once it is gone. */
export function cpuMs(pid) {
  try {
    const fields = statFields(pid);
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** The processes whose parent is `pid` (nginx's workers). */
export function childrenOf(pid) {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return statFields(entry)[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Peak resident set (VmHWM) of a process, in MB; null once it is gone. */
export function peakRssMb(pid) {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

/** Busy and total CPU time of the whole machine so far, in ticks (all cores). */
function machineTicks() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
  const ticks = fields.slice(1, 9).map(Number); // user … steal; guest time is inside user
  const idle = ticks[3] + ticks[4]; // idle + iowait
  const total = ticks.reduce((sum, t) => sum + t, 0);
  return { busy: total - idle, total };
}

/**
 * CPU time per request of each named group of processes over `work`, which
 * resolves to a result with a `requests` count, and how busy the whole machine
 * was meanwhile (percent of all cores): near 100 %, requests queue for a core.
 * @template {{ requests: number }} T
 * @param {Record<string, number[]>} groups
 * @param {() => Promise<T>} work
 * @returns {Promise<T & { cpu: Record<string, number>, busyPercent: number }>}
 */
export async function withCpuPerRequest(groups, work) {
  const total = () =>
    Object.fromEntries(
      Object.entries(groups).map(([name, pids]) => [
        name,
        pids.reduce((sum, pid) => sum + cpuMs(pid), 0),
      ]),
    );
  const before = total();
  const machineBefore = machineTicks();
  const result = await work();
  const machineAfter = machineTicks();
  const after = total();
  const cpu = Object.fromEntries(
    Object.keys(groups).map((name) => [
      name,
      result.requests ? (after[name] - before[name]) / result.requests : 0,
    ]),
  );
  const busyPercent = Math.round(
    (100 * (machineAfter.busy - machineBefore.busy)) /
      Math.max(1, machineAfter.total - machineBefore.total),
  );
  return { ...result, cpu, busyPercent };
}
