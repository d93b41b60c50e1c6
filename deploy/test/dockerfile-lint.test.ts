/**
 * hadolint-style rules for the Dockerfile, written as tests (no hadolint binary here), plus cross-checks
 * that keep its pins in step with the rest of the repository.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '@confeitaria/stack/paths';
import { toolPins } from '@confeitaria/stack/tools';
import { readCompose } from '../src/compose-file';
import { parseDockerfile, type Stage } from '../src/dockerfile-parser';

const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(text);
const stageNames = new Set(stages.map((stage) => stage.name));
const compose = readCompose();
/** Stages compose runs as containers: the images that must be hardened. */
const targets = [...new Set(Object.values(compose.services).flatMap((service) => service.build?.target ?? []))];
const stage = (name: string): Stage => {
  const found = stages.find((candidate) => candidate.name === name);
  assert.ok(found, `no stage ${name}`);
  return found;
};
const all = stages.flatMap((each) => each.instructions.map((instruction) => ({ stage: each.name, ...instruction })));
const rootPackage = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));

describe('Dockerfile', () => {
  it('builds every target compose asks for', () => {
    assert.deepEqual(
      targets.filter((target) => !stageNames.has(target)),
      [],
    );
    assert.ok(targets.includes('service'));
  });

  /** Global ARGs (before the first FROM) and their defaults. */
  const globalArgs = Object.fromEntries(
    [...text.slice(0, text.indexOf('\nFROM ')).matchAll(/^ARG (\w+)=(\S*)$/gm)].map((match) => [match[1], match[2]]),
  );
  const resolved = (from: string) => from.replace(/\$\{(\w+)\}/g, (_, name: string) => globalArgs[name] ?? '');

  it('builds on one Debian base, named once (ARG DEBIAN_IMAGE), and pulls nothing else but Tempo', () => {
    const external = stages.filter((each) => !stageNames.has(resolved(each.from)));
    assert.deepEqual(
      [...new Set(external.map((each) => each.from))].sort(),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile's own text
      ['${DEBIAN_IMAGE}', 'grafana/tempo:2.8.2'].sort(),
    );
    // Debian 12's slim image; its point release floats as local mode's packages follow bookworm's
    // updates, and the docker-mode test compares the packages both modes run.
    assert.match(globalArgs.DEBIAN_IMAGE ?? '', /^debian:12-slim$/);
  });

  it('pins Tempo to an exact version tag, never latest (DL3006, DL3007)', () => {
    assert.match(stage('tempo').from, /^grafana\/tempo:\d+\.\d+\.\d+$/);
  });

  it('takes Node and npm from the versions package.json pins, and builds the tools with the pinned Go', () => {
    assert.match(rootPackage.devDependencies.node, /^\d+\.\d+\.\d+$/);
    assert.match(rootPackage.packageManager, /^npm@\d+\.\d+\.\d+$/);
    const runtime = stage('node-runtime')
      .instructions.map((each) => each.args)
      .join('\n');
    assert.match(runtime, /"node": /);
    assert.match(runtime, /"packageManager": "npm@/);
    assert.equal(globalArgs.GO_VERSION, toolPins.go);
    assert.ok(!stages.some((each) => /^(node|golang):/.test(each.from)), 'no second Node or Go pin in a FROM');
  });

  it("builds the Go tools with local mode's own build code, at stack/tools.json's versions", () => {
    const build = stage('tools-source').instructions.find((each) => /cli\.js tools /.test(each.args));
    assert.ok(build, 'tools-source runs `cli.js tools`');
    for (const name of ['k6', 'toxiproxy-server', 'toxiproxy-cli', 'otelcol', 'docker-compose'])
      assert.match(build.args, new RegExp(`tools [\\w -]*\\b${name}\\b`), name);
    assert.match(globalArgs.TOOLS ?? '', /^(source|prebuilt)$/);
    assert.ok(stageNames.has('tools-source') && stageNames.has('tools-prebuilt'));
  });

  it('ends every target compose runs as a non-root user', () => {
    for (const target of targets) {
      const user = stage(target)
        .instructions.filter((instruction) => instruction.keyword === 'USER')
        .at(-1);
      assert.ok(user, `${target} sets no USER`);
      assert.doesNotMatch(user.args, /^(root|0)(:|$)/, `${target} runs as root`);
    }
  });

  it('gives every target a HEALTHCHECK, or says why it has none (HEALTHCHECK NONE with a comment)', () => {
    for (const target of targets) {
      const check = stage(target).instructions.find((instruction) => instruction.keyword === 'HEALTHCHECK');
      assert.ok(check, `${target} has no HEALTHCHECK`);
      if (check.args === 'NONE') assert.ok(check.comment.length > 10, `${target}: HEALTHCHECK NONE needs a reason`);
      else assert.match(check.args, /CMD \[/, `${target}: exec form`);
    }
  });

  it('states the owner of every file it copies (COPY --chown)', () => {
    for (const instruction of all.filter((each) => each.keyword === 'COPY')) {
      assert.match(instruction.args, /--chown=\S+/, `line ${instruction.line}`);
    }
  });

  it('never ADDs (no remote URLs, no implicit unpacking) (DL3020)', () => {
    assert.deepEqual(
      all.filter((each) => each.keyword === 'ADD'),
      [],
    );
  });

  it('cleans package caches in the same layer that fills them (DL3009, DL3060)', () => {
    for (const run of all.filter((each) => each.keyword === 'RUN')) {
      if (/apt-get install/.test(run.args)) {
        assert.match(run.args, /--no-install-recommends/, `line ${run.line}`);
        assert.match(run.args, /rm -rf \/var\/lib\/apt\/lists/, `line ${run.line}`);
      }
      if (/npm (ci|install)/.test(run.args)) assert.match(run.args, /npm cache clean --force/, `line ${run.line}`);
      assert.doesNotMatch(run.args, /(^|[;&|]\s*)(sudo|cd) /, `line ${run.line}: use WORKDIR, never sudo`);
    }
  });

  it('uses the exec form for ENTRYPOINT and CMD (DL3025)', () => {
    for (const instruction of all.filter((each) => ['ENTRYPOINT', 'CMD'].includes(each.keyword))) {
      assert.doesNotThrow(() => JSON.parse(instruction.args), `line ${instruction.line}`);
    }
  });

  it('installs production dependencies only in the service image, and loads the telemetry preload first', () => {
    assert.match(text, /npm install --omit=dev/);
    const service = stage('service').instructions;
    assert.ok(!service.some((each) => each.keyword === 'COPY' && /--from=build\b/.test(each.args)), 'dev build copied');
    const entrypoint = JSON.parse(service.find((each) => each.keyword === 'ENTRYPOINT')?.args ?? '[]') as string[];
    assert.deepEqual(entrypoint.slice(0, 2), ['node', '--require']);
    const preload = (entrypoint[2] ?? '').replace('/app/', '').replace('/dist/src/', '/src/').replace(/\.js$/, '.ts');
    assert.ok(existsSync(join(repoRoot, preload)), preload);
  });

  it('copies every workspace manifest before installing, so the lockfile matches', () => {
    for (const workspace of rootPackage.workspaces as string[]) {
      assert.match(text, new RegExp(`COPY --chown=\\S+ ${workspace}/package.json ${workspace}/`), workspace);
    }
  });

  it('keeps node_modules, build output, git and local state out of the build context', () => {
    const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.git', '.stack-data', '**/.env'])
      assert.ok(ignored.includes(entry), entry);
  });
});
