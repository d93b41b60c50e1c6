/**
 * A Windows clone (core.autocrlf=true, Git for Windows' default) must still give LF line endings to
 * everything a container runs or reads: a CRLF shell script fails with `bad interpreter` (the Postgres
 * init never runs, no role or database exists), and CRLF config files are misread. .gitattributes
 * says `eol=lf`; this clones the committed tree the way Windows would and looks.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '@confeitaria/stack/paths';

const git = (args: string[], cwd = repoRoot) => execFileSync('git', args, { cwd, encoding: 'utf8' });
const tracked = git(['ls-files']).split('\n').filter(Boolean);
/** What containers run or mount: scripts, the Dockerfile, compose and config files. */
const containerFiles = tracked.filter((path) => /(\.sh|\.ya?ml|\.conf|\.json|Dockerfile|enabled_plugins)$/.test(path));

describe('line endings', () => {
  const clone = mkdtempSync(join(tmpdir(), 'confeitaria-crlf-'));
  after(() => rmSync(clone, { recursive: true, force: true }));

  it('every tracked file is checked out with LF endings (.gitattributes eol=lf)', () => {
    const attributes = git(['check-attr', 'eol', '--', ...containerFiles]);
    const notLf = attributes.split('\n').filter((line) => line && !line.endsWith(': eol: lf'));
    assert.deepEqual(notLf, []);
  });

  it('a clone made with core.autocrlf=true has no CR in a script or a file a container reads', () => {
    git(['-c', 'core.autocrlf=true', 'clone', '--quiet', '--no-hardlinks', repoRoot, clone], tmpdir());
    const withCr = containerFiles.filter((path) => readFileSync(join(clone, path)).includes(0x0d));
    assert.ok(
      containerFiles.some((path) => path.endsWith('entrypoint.sh')),
      'the entrypoints are tracked',
    );
    assert.deepEqual(withCr, []);
  });
});
