/** Toxiproxy: the fault injector on every dependency edge, populated from chaos/proxies.json. */
import { Toxiproxy } from 'toxiproxy-node-client';
import type { Component, Health } from '../component';
import { host, ports } from '../ports';
import { launch, livePid, logFileOf, probeHttp, terminate } from '../process';
import { proxies, upstreamAddress } from '../proxies';
import { ensureTool } from '../tools';

const name = 'toxiproxy';
export const toxiproxyUrl = `http://${host}:${ports.toxiproxyApi}`;

export function toxiproxy(): Component {
  return {
    name,
    kind: 'tool',
    ports: [ports.toxiproxyApi, ...proxies.map((proxy) => proxy.listen)],
    logFile: logFileOf(name),
    url: `${toxiproxyUrl}/proxies`,
    async start() {
      if (livePid(name) === undefined) {
        const binary = await ensureTool('toxiproxy-server');
        launch(name, binary, [
          '-host',
          host,
          '-port',
          String(ports.toxiproxyApi),
          '-proxy-metrics',
          '-runtime-metrics',
        ]);
        for (let attempt = 0; attempt < 100 && !(await probeHttp(`${toxiproxyUrl}/version`)); attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      await new Toxiproxy(toxiproxyUrl).populate(
        proxies.map((proxy) => ({
          name: proxy.name,
          listen: `${host}:${proxy.listen}`,
          upstream: upstreamAddress(proxy.to),
          enabled: true,
        })),
      );
    },
    async health(): Promise<Health> {
      const response = await probeHttp(`${toxiproxyUrl}/proxies`);
      if (response?.status !== 200) return { ok: false, detail: 'API not answering' };
      let live: Record<string, { enabled: boolean }>;
      try {
        live = JSON.parse(response.body) as Record<string, { enabled: boolean }>;
      } catch {
        return { ok: false, detail: 'API answered with something other than JSON' };
      }
      const missing = proxies.filter((proxy) => !live[proxy.name]).map((proxy) => proxy.name);
      const disabled = proxies.filter((proxy) => live[proxy.name]?.enabled === false).map((proxy) => proxy.name);
      if (missing.length) return { ok: false, detail: `missing proxies: ${missing.join(', ')}` };
      return {
        ok: true,
        detail: `${proxies.length} proxies${disabled.length ? `, disabled: ${disabled.join(', ')}` : ''}`,
      };
    },
    pid: async () => livePid(name),
    stop: () => terminate(name),
  };
}
