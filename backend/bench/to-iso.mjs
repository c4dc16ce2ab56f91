#!/usr/bin/env node
// toIso against Date#toISOString: nanoseconds per call, median of five rounds of
// a million calls each.   node backend/bench/to-iso.mjs   (after npm run build)
import { createRequire } from 'node:module';

const { toIso } = createRequire(import.meta.url)('../dist/clock.js');
const start = Date.UTC(2026, 0, 1);
const N = 1_000_000;

function nsPerCall(format) {
  let length = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) length += format(start + i * 997).length;
  if (length === 0) throw new Error('unreachable: keeps the loop from being optimised away');
  return Number(process.hrtime.bigint() - t0) / N;
}

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rounds = (format) => median(Array.from({ length: 5 }, () => nsPerCall(format)));
const date = rounds((ms) => new Date(ms).toISOString());
const fast = rounds(toIso);
console.log(
  `Date#toISOString ${date.toFixed(0)} ns/call, toIso ${fast.toFixed(0)} ns/call (${(date / fast).toFixed(1)}× faster)`,
);
