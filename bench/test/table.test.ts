import { markdownTable, scenarioTable } from '../lib/table.mjs';

test('markdownTable aligns the first column left and the numbers right', () => {
  expect(markdownTable(['name', 'n'], [['a', 1]])).toEqual([
    '| name | n |',
    '| --- | ---: |',
    '| a | 1 |',
  ]);
});

test('scenarioTable puts every measured group in a column, with – where a row did not measure it', () => {
  const lines = scenarioTable(
    [
      { name: 'page', rps: 100, p50: 1, p99: 2, errors: 0, busyPercent: 80, cpu: { backend: 0.5 } },
      { name: 'post', rps: 50, p50: 3, p99: 4, errors: 1, cpu: { backend: 1.25, nginx: 0.1 } },
    ],
    [['vs ceiling', (r: { rps: number }) => `${(r.rps / 200).toFixed(2)}×`]],
  );
  expect(lines).toEqual([
    '| scenario | req/s | p50 ms | p99 ms | errors | vs ceiling | CPU busy % | CPU ms/req backend | CPU ms/req nginx |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    '| page | 100 | 1 | 2 | 0 | 0.50× | 80 | 0.50 | – |',
    '| post | 50 | 3 | 4 | 1 | 0.25× | – | 1.25 | 0.10 |',
  ]);
});
