import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { repoRoot } from '@confeitaria/stack/paths';
import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020';
import { bindMounts, type ComposeFile, mebibytes, readCompose } from '../src/compose-file';
import { parseDockerfile } from '../src/dockerfile-parser';
import { schemaFile } from '../src/pinned-sources';

const compose: ComposeFile = readCompose();
const entries = Object.entries(compose.services);
/** Long-running containers; the profile services are one-shot jobs. */
const defaultProfile = entries.filter(([, service]) => !service.profiles);
const stages = parseDockerfile(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));
/** The image's own HEALTHCHECK, for a service built from a Dockerfile target. */
const imageHealthcheck = (target: string | undefined) =>
  stages
    .find((stage) => stage.name === target)
    ?.instructions.find((instruction) => instruction.keyword === 'HEALTHCHECK' && instruction.args !== 'NONE');

describe('docker-compose.yml', () => {
  let validate: ValidateFunction;
  before(async () => {
    const schema = JSON.parse(readFileSync(await schemaFile('compose-spec', 'compose-spec.json'), 'utf8'));
    // The schema is draft 2020-12. Formats such as "duration" are compose's own: ajv checks the
    // structure, compose itself the formats.
    validate = new Ajv2020({ strict: false, validateFormats: false, allErrors: true }).compile(schema);
  });

  it('is valid against the pinned Compose Specification schema', () => {
    const valid = validate(compose);
    assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  });

  it('publishes on loopback only, and no shop service port but the gateway (docs/security.md)', () => {
    const published = entries.flatMap(([name, service]) => (service.ports ?? []).map((port) => ({ name, port })));
    for (const { name, port } of published) assert.match(port, /^127\.0\.0\.1:/, `${name} publishes ${port}`);
    const services = entries.filter(([, service]) => service.build?.target === 'service').map(([name]) => name);
    const publishedServices = [...new Set(published.map(({ name }) => name).filter((name) => services.includes(name)))];
    assert.deepEqual(publishedServices, ['gateway']);
  });

  it('the schema check rejects a misspelt key (so the check above can fail)', () => {
    const broken = structuredClone(compose);
    (broken.services.gateway as Record<string, unknown>).healthchek = {};
    assert.equal(validate(broken), false);
  });

  it('builds every image here but Grafana, under no registry name (so nothing is pulled by mistake)', () => {
    const pulled = entries.filter(([, service]) => !service.build).map(([name]) => name);
    assert.deepEqual(pulled, ['grafana']);
    for (const [name, service] of entries.filter(([, each]) => each.build)) {
      assert.equal(service.image, undefined, `${name}: compose would try a registry for ${service.image} first`);
      assert.ok(
        stages.some((stage) => stage.name === service.build?.target),
        `${name}: no Dockerfile target ${service.build?.target}`,
      );
    }
  });

  it('Grafana: anonymous viewers may use Explore (exemplar and trace links), with its documented 512 MB', () => {
    const grafana = compose.services.grafana;
    const env = (grafana?.environment ?? {}) as Record<string, string>;
    assert.equal(env.GF_AUTH_ANONYMOUS_ENABLED, 'true');
    assert.equal(env.GF_AUTH_ANONYMOUS_ORG_ROLE, 'Viewer', 'never an anonymous Editor or Admin');
    assert.equal(env.GF_USERS_VIEWERS_CAN_EDIT, 'true', 'Explore is closed to viewers without it');
    assert.ok(mebibytes(grafana?.deploy?.resources?.limits?.memory ?? '0m') >= 512);
  });

  it('pins every pulled image to an exact version tag, never latest', () => {
    for (const [name, service] of entries) {
      if (!service.image) continue;
      const tag = /:([^/:@]+)(@sha256:[0-9a-f]{64})?$/.exec(service.image)?.[1];
      assert.ok(tag, `${name}: ${service.image} has no tag`);
      // Postgres releases are major.minor (15.20); everything else here is major.minor.patch.
      const exact = service.image.startsWith('postgres:')
        ? /^\d+\.\d+(-[a-z0-9.-]+)?$/
        : /^v?\d+\.\d+\.\d+(-[a-z0-9.-]+)?$/;
      assert.match(tag, exact, `${name}: ${service.image} is not an exact version`);
    }
  });

  it('gives every long-running container a healthcheck, a memory limit and rotated logs', () => {
    for (const [name, service] of entries) {
      assert.ok(service.deploy?.resources?.limits?.memory, `${name} has no memory limit`);
      assert.equal(service.logging?.driver, 'json-file', `${name} logs are not rotated`);
      assert.ok(service.logging?.options?.['max-size'] && service.logging.options['max-file'], `${name} rotation`);
    }
    for (const [name, service] of defaultProfile) {
      const own = service.healthcheck?.test && !service.healthcheck.disable;
      assert.ok(own || imageHealthcheck(service.build?.target), `${name} has no healthcheck`);
    }
  });

  it('starts nothing before what it depends on is healthy', () => {
    for (const [name, service] of entries) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        assert.ok(compose.services[dependency], `${name} depends on unknown ${dependency}`);
        assert.equal(condition, 'service_healthy', `${name} → ${dependency}`);
      }
    }
  });

  it('keeps state in named volumes, every one declared', () => {
    const named = entries.flatMap(([, service]) =>
      (service.volumes ?? []).filter((volume) => !/^[./]/.test(volume)).map((volume) => volume.split(':')[0]),
    );
    assert.ok(named.length >= 5);
    for (const volume of named)
      assert.ok(volume && compose.volumes && volume in compose.volumes, `${volume} undeclared`);
  });

  it('bind-mounts only files that exist in the repository', () => {
    for (const [name, service] of entries) {
      for (const { source } of bindMounts(service)) {
        if (source === 'reports') continue; // created by the runs themselves
        assert.ok(existsSync(join(repoRoot, source)), `${name} mounts missing ${source}`);
      }
    }
  });

  // The OpenTelemetry demo needs about 6 GB. Under 3 GiB until Grafana got its documented 512 MB
  // minimum and identity room for Argon2 (docs/docker.md, Memory): now under 3.25 GiB.
  it('stays under 3.25 GiB in total, and docs/docker.md and the header publish that total', () => {
    const total = defaultProfile.reduce(
      (sum, [, service]) => sum + mebibytes(service.deploy?.resources?.limits?.memory ?? '0m'),
      0,
    );
    assert.ok(total < 3328, `default profile totals ${total} MiB`);
    const docs = readFileSync(join(repoRoot, 'docs', 'docker.md'), 'utf8');
    assert.match(docs, new RegExp(`\\*\\*${total} MiB\\*\\*`), `docs/docker.md does not state ${total} MiB`);
    assert.match(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), new RegExp(`totals ${total} MiB`));
    for (const [name, service] of defaultProfile) {
      const limit = service.deploy?.resources?.limits?.memory ?? '';
      assert.match(docs, new RegExp(`\\| ${name} \\| ${mebibytes(limit)} MiB`), `docs/docker.md: ${name} row`);
    }
  });
});
