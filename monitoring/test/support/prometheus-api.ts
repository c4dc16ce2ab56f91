export interface Sample {
  metric: Record<string, string>;
  value: number;
}

/** An instant query through Prometheus's HTTP API. */
export async function query(base: string, expr: string): Promise<Sample[]> {
  const res = await fetch(`${base}/api/v1/query?${new URLSearchParams({ query: expr })}`);
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data?: {
      resultType: string;
      result: { metric: Record<string, string>; value: [number, string] }[];
    };
  };
  if (body.status !== 'success' || !body.data) {
    throw new Error(`query failed: ${expr}: ${body.error ?? res.status}`);
  }
  if (body.data.resultType !== 'vector') throw new Error(`not a vector: ${expr}`);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/** The single value of a query that must return exactly one series. */
export async function scalar(base: string, expr: string): Promise<number> {
  const result = await query(base, expr);
  if (result.length !== 1) throw new Error(`${expr}: expected one series, got ${result.length}`);
  return (result[0] as Sample).value;
}

/** Poll until `check` passes (Prometheus scrapes and evaluates on its own clock). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export async function get<T>(base: string, path: string): Promise<T> {
  const res = await fetch(`${base}${path}`);
  const body = (await res.json()) as { status: string; data: T };
  if (body.status !== 'success') throw new Error(`${path}: ${res.status}`);
  return body.data;
}
