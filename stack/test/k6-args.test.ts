import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseK6Args } from '../src/k6';

test('npm run loadtest -- <profile> [--script s]: the profile is taken wherever it stands', () => {
  assert.deepEqual(parseK6Args([]), { script: 'journey', profile: 'smoke' });
  assert.deepEqual(parseK6Args(['crowd']), { script: 'journey', profile: 'crowd' });
  assert.deepEqual(parseK6Args(['staircase', '--script', 'journey']), { script: 'journey', profile: 'staircase' });
  assert.deepEqual(parseK6Args(['--script', 'browse', 'peak']), { script: 'browse', profile: 'peak' });
  assert.deepEqual(parseK6Args(['--script', 'browse']), { script: 'browse', profile: 'smoke' });
  assert.throws(() => parseK6Args(['crowd', '--script']), /--script needs/);
});
