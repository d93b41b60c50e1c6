/**
 * Cross-checks what docker-compose.yml passes to the services against what they read: the same
 * variables as the local stack (stack/src/components/services.ts), accepted by each service's own zod
 * config schema, on the ports of stack/src/ports.ts, through the proxies of chaos/proxies.json.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configSchema as cart } from '@confeitaria/cart/config';
import { configSchema as catalog } from '@confeitaria/catalog/config';
import { configSchema as gateway } from '@confeitaria/gateway/config';
import { configSchema as identity } from '@confeitaria/identity/config';
import { configSchema as notifications } from '@confeitaria/notifications/config';
import { configSchema as orders } from '@confeitaria/orders/config';
import { configSchema as payments } from '@confeitaria/payments/config';
import { serviceDefinitions } from '@confeitaria/stack/components/services';
import { host, ports } from '@confeitaria/stack/ports';
import { proxies } from '@confeitaria/stack/proxies';
import type { z } from 'zod';
import { readCompose } from '../src/compose-file';

const schemas: Record<string, z.ZodObject> = { cart, catalog, gateway, identity, notifications, orders, payments };
/** Read by the telemetry preload and Node itself, not by the config schemas. */
const runtimeKeys = /^(OTEL_[A-Z_]+|SERVICE_INSTANCE_ID|DEPLOYMENT_ENVIRONMENT|NODE_OPTIONS)$/;
const compose = readCompose();

describe('docker-compose.yml wires the services as the local stack does', () => {
  it('has one compose service per local stack service instance, and no other service image', () => {
    const withServiceImage = Object.entries(compose.services)
      .filter(([, service]) => service.build?.target === 'service')
      .map(([name]) => name);
    assert.deepEqual(withServiceImage.sort(), serviceDefinitions.map((definition) => definition.name).sort());
  });

  for (const definition of serviceDefinitions) {
    describe(definition.name, () => {
      const service = compose.services[definition.name];
      const env = service?.environment ?? {};

      it('runs its own main module', () => {
        assert.deepEqual(service?.command, [`/app/services/${definition.service}/dist/src/main.js`]);
      });

      it('passes every variable the local stack passes, with the same values behind Toxiproxy', () => {
        // A proxied address is Toxiproxy's; one that is direct in local mode too (the gateway's key
        // set, straight from identity) is the instance's container; Prometheus is its container's.
        const inCompose = (local: string) =>
          serviceDefinitions
            .reduce(
              (value, instance) => value.replaceAll(`${host}:${instance.port}`, `${instance.name}:${instance.port}`),
              local,
            )
            .replaceAll(`${host}:${ports.prometheus}`, 'prometheus:9090')
            .replaceAll(`${host}:`, 'toxiproxy:');
        for (const [key, local] of Object.entries(definition.env())) {
          assert.equal(env[key], inCompose(local), `${definition.name} ${key}`);
        }
      });

      it('listens on its port of the port plan, and names itself like the local stack', () => {
        assert.equal(Number(env.PORT), definition.port);
        assert.equal(env.HOST, '0.0.0.0');
        assert.equal(env.OTEL_SERVICE_NAME, definition.service);
        assert.equal(env.SERVICE_INSTANCE_ID, `${definition.name}@${definition.name}:${definition.port}`);
        assert.equal(env.OTEL_EXPORTER_OTLP_ENDPOINT, `http://otel-collector:${ports.collectorOtlpHttp}`);
      });

      it('passes only variables that its config schema or the telemetry preload reads', () => {
        const schema = schemas[definition.service];
        assert.ok(schema, `no config schema for ${definition.service}`);
        const unknown = Object.keys(env).filter((key) => !(key in schema.shape) && !runtimeKeys.test(key));
        assert.deepEqual(unknown, []);
      });

      it('passes values its config schema accepts', () => {
        const parsed = schemas[definition.service]?.safeParse(env);
        assert.ok(parsed?.success, JSON.stringify(parsed?.error?.issues));
      });

      it('reaches every dependency through a proxy declared for this edge', () => {
        const listens = new Set(
          proxies.filter((proxy) => proxy.from === definition.service).map((proxy) => proxy.listen),
        );
        for (const [key, value] of Object.entries(env)) {
          for (const [, port] of value.matchAll(/toxiproxy:(\d+)/g)) {
            assert.ok(listens.has(Number(port)), `${definition.name} ${key} uses toxiproxy:${port}, not its proxy`);
          }
          // *_PUBLIC_URL is an address as the browser on the host sees it (Grafana's published port).
          if (key.endsWith('_PUBLIC_URL')) continue;
          assert.doesNotMatch(value, /127\.0\.0\.1|localhost/, `${definition.name} ${key} points at itself`);
        }
      });
    });
  }

  it('publishes the gateway, Prometheus and the Toxiproxy API on the host ports of local mode', () => {
    assert.ok(compose.services.gateway?.ports?.includes(`127.0.0.1:${ports.gateway}:${ports.gateway}`));
    assert.ok(compose.services.prometheus?.ports?.includes(`127.0.0.1:${ports.prometheus}:9090`));
    assert.ok(compose.services.toxiproxy?.ports?.includes(`127.0.0.1:${ports.toxiproxyApi}:8474`));
  });
});
