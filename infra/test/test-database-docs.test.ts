import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TEST_USER_STATEMENTS } from '../../backend/test/support/test-database';

// Lives with the infra checks, not the backend suite: the backend's test image
// carries only the backend, and this compares a document outside it.
describe('the test database user, as infra/README.md tells the operator to create it', () => {
  it('when the operator follows the README, then they run exactly the statements the suites run under', () => {
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const documented = readme
      .split('\n')
      .filter((line) => /^(CREATE USER|GRANT) .*'tradepost_test'/.test(line));
    expect(documented).toEqual(TEST_USER_STATEMENTS);
  });
});
