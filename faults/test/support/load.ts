import { setTimeout as sleep } from 'node:timers/promises';
import { isFrontendErrorPage, isNginxPage, type Reply } from './http';

/** Jepsen's op outcomes: ok (acknowledged), fail (definitely not done), info (unknown). */
export type Outcome = 'ok' | 'fail' | 'info';

/** Who produced a non-success page: the frontend's own error page, nginx's fallback, or other. */
export type Source = 'frontend' | 'nginx' | 'other';

export interface Sample {
  op: string;
  /** The ledger key of a write (its product code). */
  key?: string;
  start: number;
  end: number;
  outcome: Outcome;
  status?: number;
  error?: string;
  source?: Source;
  /** Where a successful add-order pointed (its redirect, or the created id). */
  location?: string;
}

export const now = () => performance.now();

export const sourceOf = (reply: Reply): Source =>
  isNginxPage(reply.body) ? 'nginx' : isFrontendErrorPage(reply.body) ? 'frontend' : 'other';

/** Every request the load makes, in order of completion. */
export class Recorder {
  readonly samples: Sample[] = [];

  /**
   * Time one exchange and record it. `judge` turns a reply into an outcome; a socket
   * error or client timeout is `onError` (fail for reads, info for writes).
   */
  async track(
    op: string,
    run: () => Promise<Reply>,
    judge: (reply: Reply) => Outcome,
    extra: { key?: string; onError?: Outcome; locate?: (reply: Reply) => string | undefined } = {},
  ): Promise<Reply | undefined> {
    const start = now();
    try {
      const reply = await run();
      const outcome = judge(reply);
      this.samples.push({
        op,
        key: extra.key,
        start,
        end: now(),
        outcome,
        status: reply.status,
        source: outcome === 'ok' ? undefined : sourceOf(reply),
        location: extra.locate ? extra.locate(reply) : reply.headers.location,
      });
      return reply;
    } catch (err) {
      this.samples.push({
        op,
        key: extra.key,
        start,
        end: now(),
        outcome: extra.onError ?? 'fail',
        error: (err as Error).message,
      });
      return undefined;
    }
  }

  between(from: number, to: number): Sample[] {
    return this.samples.filter((s) => s.start >= from && s.start < to);
  }
}

export const failures = (samples: Sample[]) => samples.filter((s) => s.outcome !== 'ok');

/** The q-quantile (0..1) of the samples' durations in ms, nearest rank. */
export function quantile(samples: Sample[], q: number): number {
  if (samples.length === 0) return 0;
  const sorted = samples.map((s) => s.end - s.start).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** A short, readable account of what went wrong, for assertion messages. */
export function describeFailures(samples: Sample[], limit = 8): string {
  return failures(samples)
    .slice(0, limit)
    .map(
      (s) =>
        `${s.op} ${s.status ?? s.error ?? ''} ${s.source ?? ''} ${Math.round(s.end - s.start)}ms`,
    )
    .join('; ');
}

export interface Load {
  /** Ticks that found every worker busy (the load is open-loop with bounded concurrency). */
  readonly skipped: number;
  stop(): Promise<void>;
}

/**
 * Start `step` about `perSecond` times a second, each on an idle worker (a visitor
 * with its own cookies), so at most `workers.length` steps run at once.
 */
export function startLoad<W>(
  workers: W[],
  perSecond: number,
  step: (worker: W) => Promise<void>,
): Load {
  const idle = [...workers];
  const running = new Set<Promise<void>>();
  let skipped = 0;
  const timer = setInterval(() => {
    const worker = idle.shift();
    if (worker === undefined) {
      skipped += 1;
      return;
    }
    const run = step(worker)
      .catch(() => undefined)
      .finally(() => {
        idle.push(worker);
        running.delete(run);
      });
    running.add(run);
  }, 1000 / perSecond);
  return {
    get skipped() {
      return skipped;
    },
    async stop() {
      clearInterval(timer);
      await Promise.all([...running]);
    },
  };
}

/** Poll `check` every `everyMs` until it is true; resolve with the time it became true. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 50,
): Promise<number> {
  const deadline = now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return now();
    if (now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}
