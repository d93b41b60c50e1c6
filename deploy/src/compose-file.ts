/**
 * Reads docker-compose.yml the way `docker compose config` would for these checks: YAML merge keys
 * (`<<:`) resolved, and `${VAR:-default}` / `${VAR}` / `$$` interpolated from a given environment
 * (empty by default, so the tests see the defaults a fresh `docker compose up` uses).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@confeitaria/stack/paths';
import { parse } from 'yaml';

export interface ComposeService {
  image?: string;
  build?: { context: string; target?: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string; disable?: boolean };
  logging?: { driver: string; options?: Record<string, string> };
  deploy?: { resources?: { limits?: { memory?: string } } };
}
export interface ComposeFile {
  name: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export const composePath = join(repoRoot, 'docker-compose.yml');

/** Compose's interpolation for the forms this file uses; an unset variable without default is an error. */
export function interpolate(text: string, env: Record<string, string | undefined> = {}): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g,
    (match, name?: string, fallback?: string) => {
      if (match === '$$') return '$';
      const value = name ? env[name] : undefined;
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      throw new Error(`docker-compose.yml: \${${name}} has no default`);
    },
  );
}

/** The compose file as data, raw (for the schema: interpolation happens before validation in compose). */
export function readCompose(env: Record<string, string | undefined> = {}): ComposeFile {
  const compose = parse(interpolate(readFileSync(composePath, 'utf8'), env), { merge: true }) as ComposeFile;
  // Compose passes every environment value as a string; YAML would read `0` or `true` as others.
  for (const service of Object.values(compose.services)) {
    if (service.environment) {
      service.environment = Object.fromEntries(Object.entries(service.environment).map(([k, v]) => [k, String(v)]));
    }
  }
  return compose;
}

/** "128m", "1g", "512M" → MiB. */
export function mebibytes(size: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg])b?$/i.exec(size.trim());
  if (!match?.[1] || !match[2]) throw new Error(`unreadable memory size "${size}"`);
  const factor = { k: 1 / 1024, m: 1, g: 1024 }[match[2].toLowerCase() as 'k' | 'm' | 'g'];
  return Number(match[1]) * factor;
}

/** Bind mounts of a service as { source relative to the repository, target }. */
export function bindMounts(service: ComposeService): { source: string; target: string }[] {
  return (service.volumes ?? [])
    .filter((volume) => volume.startsWith('./'))
    .map((volume) => {
      const [source = '', target = ''] = volume.split(':');
      return { source: source.replace(/^\.\//, ''), target };
    });
}
