import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '@confeitaria/stack/dist/src/paths';

const run = promisify(execFile);

test('promtool accepts the Prometheus config and every rule file, and the rules pass their unit tests', async () => {
  // The config reads its rules and targets relative to itself, as the stack lays them out.
  const scratch = mkdtempSync(join(tmpdir(), 'promtool-'));
  try {
    cpSync(join(repoRoot, 'prometheus'), scratch, { recursive: true });
    const config = await run('promtool', ['check', 'config', join(scratch, 'prometheus.yml')]).catch((error) => error);
    assert.ok(!(config instanceof Error), `promtool check config: ${config.stdout ?? ''}${config.stderr ?? ''}`);
    const ruleFiles = readdirSync(join(scratch, 'rules')).filter((file) => file.endsWith('.yml'));
    assert.ok(ruleFiles.length >= 3, `rule files: ${ruleFiles.join(', ')}`);
    const rules = await run('promtool', ['check', 'rules', ...ruleFiles.map((file) => join(scratch, 'rules', file))]);
    assert.doesNotMatch(rules.stdout + rules.stderr, /FAILED/);
    // Unit tests of the recording rules and burn-rate alerts (prometheus/tests/*.yml).
    const tests = readdirSync(join(scratch, 'tests')).filter((file) => file.endsWith('.yml'));
    assert.ok(tests.length >= 2, `rule unit tests: ${tests.join(', ')}`);
    const unit = await run('promtool', ['test', 'rules', ...tests], { cwd: join(scratch, 'tests') }).catch(
      (error) => error,
    );
    assert.ok(!(unit instanceof Error), `promtool test rules: ${unit.stdout ?? ''}${unit.stderr ?? ''}`);
    assert.match(unit.stdout + unit.stderr, /SUCCESS/);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
