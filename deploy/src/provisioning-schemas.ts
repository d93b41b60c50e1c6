/**
 * JSON schemas for the Tempo config and the Grafana provisioning files, covering the options this
 * repository uses. Neither project publishes a schema, and neither binary runs on this machine, so
 * these are written from the reference documentation of the pinned versions (Tempo 2.8, Grafana 12.1):
 * closed objects (a misspelt key fails), the types and enums those pages give.
 */
const closed = (properties: Record<string, object>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});
const string = { type: 'string', minLength: 1 };
const integer = { type: 'integer' };
const boolean = { type: 'boolean' };
const hostPort = { type: 'string', pattern: '^[\\w.-]*:\\d+$' };
const path = { type: 'string', pattern: '^/' };
const duration = { type: 'string', pattern: '^(\\d+(ms|s|m|h))+$' };

export const tempoConfigSchema = closed(
  {
    stream_over_http_enabled: boolean,
    server: closed({
      http_listen_port: integer,
      grpc_listen_port: integer,
      log_level: { enum: ['debug', 'info', 'warn', 'error'] },
    }),
    distributor: closed({
      receivers: closed({
        otlp: closed({
          protocols: closed({ grpc: closed({ endpoint: hostPort }), http: closed({ endpoint: hostPort }) }),
        }),
      }),
    }),
    ingester: closed({ max_block_duration: duration, trace_idle_period: duration }),
    compactor: closed({ compaction: closed({ block_retention: duration }) }),
    metrics_generator: closed({
      registry: closed({ external_labels: { type: 'object', additionalProperties: { type: 'string' } } }),
      storage: closed(
        {
          path,
          remote_write: {
            type: 'array',
            minItems: 1,
            items: closed({ url: { type: 'string', pattern: '^https?://.+/api/v1/write$' }, send_exemplars: boolean }, [
              'url',
            ]),
          },
        },
        ['path', 'remote_write'],
      ),
      traces_storage: closed({ path }),
      processor: closed({
        service_graphs: closed({
          dimensions: { type: 'array', items: { type: 'string' } },
          enable_messaging_system_latency_histogram: boolean,
          histogram_buckets: { type: 'array', items: { type: 'number' } },
          wait: duration,
          max_items: integer,
        }),
      }),
    }),
    storage: closed({
      trace: closed(
        { backend: { enum: ['local', 's3', 'gcs', 'azure'] }, wal: closed({ path }), local: closed({ path }) },
        ['backend', 'wal'],
      ),
    }),
    overrides: closed({
      defaults: closed({
        metrics_generator: closed({
          processors: { type: 'array', items: { enum: ['service-graphs', 'span-metrics', 'local-blocks'] } },
        }),
      }),
    }),
  },
  ['server', 'distributor', 'storage'],
);

const datasource = {
  type: 'object',
  required: ['name', 'uid', 'type', 'access', 'url'],
  additionalProperties: false,
  properties: {
    name: string,
    uid: { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,40}$' },
    type: { enum: ['prometheus', 'tempo', 'loki'] },
    access: { enum: ['proxy', 'direct'] },
    url: { type: 'string', pattern: '^https?://[\\w.-]+:\\d+$' },
    isDefault: boolean,
    editable: boolean,
    orgId: integer,
    jsonData: { type: 'object' },
  },
};

export const grafanaDatasourcesSchema = closed(
  { apiVersion: { const: 1 }, datasources: { type: 'array', minItems: 1, items: datasource } },
  ['apiVersion', 'datasources'],
);

export const grafanaDashboardProvidersSchema = closed(
  {
    apiVersion: { const: 1 },
    providers: {
      type: 'array',
      minItems: 1,
      items: closed(
        {
          name: string,
          orgId: integer,
          folder: { type: 'string' },
          folderUid: string,
          type: { const: 'file' },
          disableDeletion: boolean,
          allowUiUpdates: boolean,
          updateIntervalSeconds: integer,
          options: closed({ path, foldersFromFilesStructure: boolean }, ['path']),
        },
        ['name', 'type', 'options'],
      ),
    },
  },
  ['apiVersion', 'providers'],
);
