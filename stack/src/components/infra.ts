/**
 * The infrastructure of the local stack, in start order: datastores first (the replica clones the
 * primary), then the broker, then the exporters that watch the datastores, and Prometheus last so its
 * first scrape finds every target up. `down` stops them in the reverse order.
 */
import type { Component } from '../component';
import { postgresExporterPrimary, postgresExporterReplica, redisExporter } from './exporters';
import { postgresPrimary, postgresReplica } from './postgres';
import { prometheus } from './prometheus';
import { rabbitmq } from './rabbitmq';
import { redis } from './redis';

export function infraComponents(): Component[] {
  return [
    postgresPrimary(),
    postgresReplica(),
    redis(),
    rabbitmq(),
    postgresExporterPrimary(),
    postgresExporterReplica(),
    redisExporter(),
    prometheus(),
  ];
}
