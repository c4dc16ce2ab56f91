import { setTimeout as sleep } from 'node:timers/promises';
import type { ComposeHealthcheck } from '../../../k8s/test/support/compose';
import { exec, inspect, logsOf } from './podman';

/**
 * A health check as Docker runs it: the test's argv executed in the container (no
 * shell for CMD, `/bin/sh -c` for CMD-SHELL), as the container's user. podman runs
 * none on its own without systemd, so the suite runs them itself.
 */
export interface Health {
  argv: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
}

/** Docker's defaults for a health check that leaves a field out. */
const DEFAULTS = { intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0 };

/** Compose durations: `1m30s`, `10s`, `500ms`. */
export function durationMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw new Error(`not a duration: ${text}`);
  return parts.reduce((ms, [, n, unit]) => ms + Number(n) * units[unit], 0);
}

function argvOf(test: string[] | string): string[] | null {
  if (typeof test === 'string') return ['/bin/sh', '-c', test];
  const [kind, ...rest] = test;
  if (kind === 'NONE') return null;
  if (kind === 'CMD') return rest;
  if (kind === 'CMD-SHELL') return ['/bin/sh', '-c', rest.join(' ')];
  throw new Error(`health check test must start with CMD, CMD-SHELL or NONE: ${test.join(' ')}`);
}

interface ImageHealthcheck {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
}

/** The service's own check, else the image's HEALTHCHECK, else null. */
export async function healthOf(
  check: ComposeHealthcheck | undefined,
  image: string,
): Promise<Health | null> {
  if (check?.disable) return null;
  if (check?.test) {
    const argv = argvOf(check.test);
    return (
      argv && {
        argv,
        intervalMs: durationMs(check.interval) ?? DEFAULTS.intervalMs,
        timeoutMs: durationMs(check.timeout) ?? DEFAULTS.timeoutMs,
        retries: check.retries ?? DEFAULTS.retries,
        startPeriodMs: durationMs(check.start_period) ?? DEFAULTS.startPeriodMs,
      }
    );
  }
  // podman lists a docker-format image's HEALTHCHECK at the top level of `image inspect`.
  const config = await inspect<{ Healthcheck?: ImageHealthcheck }>('image', image);
  const own = config.Healthcheck;
  const argv = own?.Test ? argvOf(own.Test) : null;
  const ns = (value: number | undefined, fallback: number) => (value ? value / 1e6 : fallback);
  return (
    argv && {
      argv,
      intervalMs: ns(own?.Interval, DEFAULTS.intervalMs),
      timeoutMs: ns(own?.Timeout, DEFAULTS.timeoutMs),
      retries: own?.Retries ?? DEFAULTS.retries,
      startPeriodMs: ns(own?.StartPeriod, DEFAULTS.startPeriodMs),
    }
  );
}

/** One run of the check: healthy when it exits 0 within its timeout. */
export async function probe(container: string, health: Health) {
  const result = await exec(container, health.argv, { timeoutMs: health.timeoutMs });
  return { ok: result.code === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

async function running(container: string): Promise<boolean> {
  const state = await inspect<{ State: { Running: boolean } }>('container', container);
  return state.State.Running;
}

/**
 * Resolves once the check passes (Docker's "healthy"); rejects when the container
 * stops, or when `retries` checks in a row fail after the start period ("unhealthy").
 * During the start period it checks every second: failures there do not count, so
 * this only finds "healthy" sooner than Docker's 5 s start interval would.
 */
export async function waitHealthy(container: string, health: Health): Promise<void> {
  const started = Date.now();
  let failures = 0;
  let last = '';
  for (;;) {
    if (!(await running(container))) {
      throw new Error(`${container} stopped before it was healthy:\n${await logsOf(container)}`);
    }
    const result = await probe(container, health);
    if (result.ok) return;
    last = result.output;
    const starting = Date.now() - started < health.startPeriodMs;
    if (!starting && (failures += 1) >= health.retries) {
      throw new Error(
        `${container} is unhealthy: ${health.argv.join(' ')} failed ${failures} times ` +
          `(last output: ${last || 'none'})\n${await logsOf(container)}`,
      );
    }
    await sleep(starting ? 1000 : health.intervalMs);
  }
}
