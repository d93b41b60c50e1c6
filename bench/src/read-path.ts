/**
 * Part 3, the read path against a bare server: GET /api/products/:id through the gateway (which proxies
 * to a catalog instance, which reads the replica), the catalog alone, and a minimal Node server that
 * returns the same bytes. The ratios price the framework and the proxy hop; a CPU profile of the gateway
 * during its measurement says where its time goes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, probeHttp, terminate } from '@confeitaria/stack/process';
import type { BenchContext } from './context';
import { type CostShare, costByOwner } from './cpu-profile';
import { benchPort, directEnv, startInstance, stopInstance, stopInstances } from './instances';
import { type LoadFigures, measure } from './load';

export interface ReadPath {
  productPath: string;
  bare: LoadFigures;
  catalog: LoadFigures;
  gateway: LoadFigures;
  /** gateway ÷ bare and catalog ÷ bare, throughput. */
  gatewayRatio: number;
  catalogRatio: number;
  /** CPU of the gateway during its measurement, by npm package / node internals / our code. */
  gatewayCpu: CostShare[];
}

export async function readPath(context: BenchContext): Promise<ReadPath> {
  const { progress, seconds, vus, outDir } = context;
  const profileDir = join(outDir, 'cpu-gateway');
  mkdirSync(profileDir, { recursive: true });
  progress.step('read path', 'starting a catalog instance, a gateway (CPU-profiled) and a bare server');
  try {
    const catalog = await startInstance({
      name: 'bench-catalog-read',
      service: 'catalog',
      port: benchPort(20),
      env: directEnv('catalog-1'),
      telemetry: true,
    });
    const gateway = await startInstance({
      name: 'bench-gateway-read',
      service: 'gateway',
      port: benchPort(22),
      env: { ...directEnv('gateway'), CATALOG_URLS: catalog, RATE_LIMIT_RPS: '1000000', RATE_LIMIT_BURST: '1000000' },
      telemetry: true,
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
    });
    const listing = (await (await fetch(`${gateway}/api/products?page=1&pageSize=1`)).json()) as {
      items: { id: number }[];
    };
    const productPath = `/api/products/${listing.items[0]?.id ?? 1}`;
    const sample = await fetch(`${gateway}${productPath}`);
    const bodyFile = join(outDir, 'bare-body.json');
    writeFileSync(
      bodyFile,
      JSON.stringify({ body: await sample.text(), contentType: sample.headers.get('content-type') }),
    );
    const bareUrl = `http://127.0.0.1:${benchPort(29)}`;
    launch('bench-bare', process.execPath, [join(__dirname, 'bare-server.js'), String(benchPort(29)), bodyFile]);
    while ((await probeHttp(`${bareUrl}/`))?.status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));

    progress.step('read path', `bare Node server, ${vus} VUs`, seconds);
    const bare = await measure({ target: `${bareUrl}${productPath}`, vus, seconds }, outDir, 'read-bare');
    progress.step('read path', 'catalog instance alone', seconds);
    const catalogFigures = await measure(
      { target: `${catalog}${productPath.replace('/api', '')}`, vus, seconds },
      outDir,
      'read-catalog',
    );
    progress.step('read path', 'through the gateway', seconds);
    const gatewayFigures = await measure({ target: `${gateway}${productPath}`, vus, seconds }, outDir, 'read-gateway');
    // The profile is written when the gateway exits.
    await stopInstance('bench-gateway-read');
    return {
      productPath,
      bare,
      catalog: catalogFigures,
      gateway: gatewayFigures,
      gatewayRatio: gatewayFigures.rps / bare.rps,
      catalogRatio: catalogFigures.rps / bare.rps,
      gatewayCpu: costByOwner(profileDir),
    };
  } finally {
    await terminate('bench-bare');
    await stopInstances();
  }
}
