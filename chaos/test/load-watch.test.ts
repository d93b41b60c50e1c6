import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { K6LogEntry } from '@confeitaria/stack/k6';
import { parseK6LogLine } from '@confeitaria/stack/k6';
import { k6Failure } from '../src/runner/load-watch';

// Lines as k6 2.1 writes them (--log-format json), from a run whose setup() failed.
const log = [
  '{"level":"info","msg":"{\\"ledger\\":\\"0b7c…\\"}","source":"console","time":"2026-12-02T05:26:17Z"}',
  '{"error":"Get \\"http://127.0.0.1:18080/api/products\\": dial tcp 127.0.0.1:18080: connect: connection refused","level":"warning","msg":"Request Failed","time":"2026-12-02T05:26:17Z"}',
  '{"level":"warning","msg":"restock of product 3: answered 503; attempt 2 in 1.0 s","source":"console","time":"2026-12-02T05:26:17Z"}',
  '{"hint":"script exception","level":"error","msg":"GoError: restock of product 3 failed: 503 {\\"title\\":\\"catalog is unavailable\\"}\\n\\tat go.k6.io/k6/v2/internal/js/modules/k6.(*K6).Fail-fm (native)\\n\\tat restockShelves (file:///repo/loadtest/lib/shop.js:182:56(95))\\n\\tat setup (file:///repo/loadtest/journey.js:22:33(3))\\n","source":"stacktrace","time":"2026-12-02T05:26:17Z"}',
].map((line) => parseK6LogLine(line) as K6LogEntry);

test("a failed setup() is quoted from k6's own error line, first line only", () => {
  assert.equal(
    k6Failure(log, 107),
    `k6's setup() failed (k6 exit code 107): "GoError: restock of product 3 failed: 503 {"title":"catalog is unavailable"}"`,
  );
});

test('an error outside setup is the last error logged', () => {
  const iteration = parseK6LogLine(
    '{"hint":"script exception","level":"error","msg":"GoError: register failed: 503\\n\\tat default (file:///repo/loadtest/journey.js:30:3)\\n","source":"stacktrace"}',
  ) as K6LogEntry;
  assert.equal(k6Failure([iteration], 107), 'k6 logged an error (k6 exit code 107): "GoError: register failed: 503"');
});

test('without an error, the last warning tells what k6 was doing; without either, it says so', () => {
  assert.equal(
    k6Failure(log.slice(0, 2), 1),
    'k6 exit code 1, no error logged; last warning: "Request Failed: Get "http://127.0.0.1:18080/api/products": dial tcp 127.0.0.1:18080: connect: connection refused"',
  );
  assert.equal(k6Failure([], undefined), 'k6, nothing in its log');
  assert.equal(k6Failure([], 1, 'SIGKILL'), 'k6 ended by SIGKILL, nothing in its log');
});

test('lines that are not k6 JSON are not log entries', () => {
  assert.equal(parseK6LogLine('panic: something'), undefined);
  assert.equal(parseK6LogLine('{"no":"level"}'), undefined);
});
