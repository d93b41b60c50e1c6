/**
 * Validates Kubernetes objects against the OpenAPI v3 documents of the Kubernetes release pinned in
 * deploy/schemas.json (the API server's own published schemas). Made strict the way kubeconform's
 * "-strict" schemas are: an object schema with declared properties admits no others, so a misspelt
 * field fails here instead of being dropped by the API server. Quantities get their documented grammar.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { pins, schemaFile } from './pinned-sources';

type Schema = Record<string, unknown>;
const quantity = '^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+|Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$';

function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (!schema || typeof schema !== 'object') return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    // `properties` maps names to schemas; every other keyword holds a schema, a list of them, or a value.
    copy[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Schema).map(([name, child]) => [name, strict(child)]))
        : strict(value);
  }
  if (copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}

export interface KubernetesValidator {
  /** Problems with one object (empty when valid); an unknown apiVersion/kind is a problem too. */
  validate(object: { apiVersion?: string; kind?: string }): string[];
}

export async function kubernetesValidator(): Promise<KubernetesValidator> {
  const schemas: Schema = {};
  for (const file of pins.kubernetes.files) {
    const document = JSON.parse(readFileSync(await schemaFile('kubernetes', file.split('/').pop() ?? file), 'utf8'));
    Object.assign(schemas, (document.components as { schemas: Schema }).schemas);
  }
  const strictSchemas = strict(schemas) as Record<string, Schema>;
  const quantitySchema = strictSchemas['io.k8s.apimachinery.pkg.api.resource.Quantity'];
  if (quantitySchema) quantitySchema.oneOf = [{ type: 'string', pattern: quantity }, { type: 'number' }];
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: 'k8s', components: { schemas: strictSchemas } });
  const byKind = new Map<string, string>();
  for (const [name, schema] of Object.entries(strictSchemas)) {
    const kinds = (schema['x-kubernetes-group-version-kind'] ?? []) as {
      group: string;
      version: string;
      kind: string;
    }[];
    for (const { group, version, kind } of kinds) byKind.set(`${group ? `${group}/` : ''}${version}/${kind}`, name);
  }
  const compiled = new Map<string, ValidateFunction>();
  return {
    validate(object) {
      const name = byKind.get(`${object.apiVersion}/${object.kind}`);
      if (!name) return [`no schema for ${object.apiVersion}/${object.kind} in Kubernetes ${pins.kubernetes.version}`];
      let validate = compiled.get(name);
      if (!validate) {
        validate = ajv.compile({ $ref: `k8s#/components/schemas/${name}` });
        compiled.set(name, validate);
      }
      if (validate(object)) return [];
      return (validate.errors ?? []).map(
        (error) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`,
      );
    },
  };
}
