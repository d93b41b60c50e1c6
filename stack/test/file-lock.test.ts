import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { withFileLock } from '../src/file-lock';

const lockFile = () => join(mkdtempSync(join(tmpdir(), 'file-lock-')), 'x.lock');

describe('file lock', () => {
  it('runs holders one after the other, never together', async () => {
    const file = lockFile();
    let inside = 0;
    let most = 0;
    const holder = () =>
      withFileLock(file, 'test', async () => {
        inside += 1;
        most = Math.max(most, inside);
        await sleep(20);
        inside -= 1;
      });
    await Promise.all([holder(), holder(), holder()]);
    assert.equal(most, 1);
  });

  it('takes over a lock whose owner died', async () => {
    const file = lockFile();
    const dead = Number(execFileSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }));
    writeFileSync(file, `${dead}\n`);
    assert.equal(await withFileLock(file, 'test', async () => 'taken', 2_000), 'taken');
  });

  it('waits for a live owner, and says who it is when it gives up', async () => {
    const file = lockFile();
    writeFileSync(file, `${process.ppid}\n`);
    await assert.rejects(
      withFileLock(file, 'starting x', async () => 'never', 300),
      new RegExp(`starting x: still locked by pid ${process.ppid}`),
    );
  });

  it('releases the lock when the action throws', async () => {
    const file = lockFile();
    await assert.rejects(
      withFileLock(file, 'test', async () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(await withFileLock(file, 'test', async () => 'again', 300), 'again');
  });
});
