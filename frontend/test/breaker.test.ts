import { CircuitBreaker, type BreakerState } from '../src/backend/breaker';

function setup() {
  let now = 1_000;
  const changes: BreakerState[] = [];
  const breaker = new CircuitBreaker({
    failureThreshold: 3,
    cooldownMs: 2000,
    now: () => now,
    onStateChange: (s) => changes.push(s),
  });
  return { breaker, changes, advance: (ms: number) => (now += ms) };
}

describe('circuit breaker', () => {
  it('when failures stay below the threshold, then calls keep going out', () => {
    const { breaker } = setup();
    breaker.onFailure();
    breaker.onFailure();
    breaker.onSuccess();
    breaker.onFailure();
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.current).toBe('closed');
  });

  it('when consecutive failures reach the threshold, then calls are refused until the cooldown ends', () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 3; i += 1) breaker.onFailure();
    expect(breaker.current).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.retryAfterMs()).toBe(2000);
    advance(1999);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('when the cooldown is over, then exactly one trial goes out and its success closes the circuit', () => {
    const { breaker, advance, changes } = setup();
    for (let i = 0; i < 3; i += 1) breaker.onFailure();
    advance(2000);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.current).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(false);
    breaker.onSuccess();
    expect(breaker.current).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('when the trial fails, then the circuit opens for a whole new cooldown', () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 3; i += 1) breaker.onFailure();
    advance(2500);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure();
    expect(breaker.current).toBe('open');
    advance(1000);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1000);
    expect(breaker.tryAcquire()).toBe(true);
  });
});
