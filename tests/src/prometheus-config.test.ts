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
    const rules = await run('promtool', [
      'check',
      'rules',
      ...['slo.yml', 'stack.yml'].map((f) => join(scratch, 'rules', f)),
    ]);
    assert.match(rules.stdout, /SUCCESS: 38 rules found/);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
