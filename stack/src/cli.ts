/**
 * `npm run stack -- <command>`: the local (no-Docker) stack. A supervisor (started by `up`) restarts,
 * with back-off, whatever `up` started that exits unexpectedly, and counts it.
 *   up [names...] [--traffic]  install what is missing, start the supervisor and everything (or the
 *                      names), wait until healthy, print URLs; what it started is wanted (a hold on it
 *                      ends). --traffic then keeps gentle shopper traffic running until Ctrl-C, for a
 *                      live demo (stack/src/traffic.ts: VUS, THINK, DURATION tune it)
 *   status             a table: component, kind, pid, ports, health, supervised, restarts
 *   logs <name> [-n N] the last lines of a component's log (-n, default 40)
 *   stop <names...>    stop them gracefully; not wanted any more, so not restarted (like `docker stop`)
 *   hold <names...>    the supervisor leaves them alone, running or not, until `up <names>`; the
 *                      process is not touched (a held process that exits stays down)
 *   down               stop the supervisor, then everything; fails if a port of ours is still held
 *   k6 [profile] [--script s]  run a k6 script from loadtest/ (default journey) under a load profile
 *                      (smoke, load, stress, spike, soak, chaos, crowd, staircase; default smoke); RATE,
 *                      DURATION, VUS, THINK tune it; crowd and staircase come from 249 loopback addresses
 *   shoppers [count]   seed the crowd's shoppers (default 2000) through the public API, once: the
 *                      crowd and staircase profiles log them in (SHOPPERS=count) instead of signing up
 *   tools [names...]   build the pinned tools that are missing (default: local mode's) and print their paths
 */
import type { Component } from './component';
import { parseK6Args, runK6 } from './k6';
import { logFileOf, tail } from './process';
import { seedShoppers } from './shoppers';
import { components, down, status, up, whereToLook } from './stack';
import { hold } from './supervision';
import { ensureTools, isToolName, toolNames } from './tools';
import { demoTraffic } from './traffic';

/** The named components, or an error that lists the names there are. */
function named(command: string, names: string[]): Component[] {
  const all = components();
  const unknown = names.filter((name) => !all.some((component) => component.name === name));
  if (!names.length || unknown.length) {
    throw new Error(
      `usage: ${command} <component...>${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}; components: ${all
        .map((c) => c.name)
        .join(', ')}`,
    );
  }
  return all.filter((component) => names.includes(component.name));
}

function printTable(rows: Record<string, string>[]): void {
  const first = rows[0];
  if (!first) return;
  const headers = Object.keys(first);
  const widths = headers.map((header) => Math.max(header.length, ...rows.map((row) => (row[header] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(headers));
  console.log(line(widths.map((width) => '─'.repeat(width))));
  for (const row of rows) console.log(line(headers.map((header) => row[header] ?? '')));
}

async function main(argv: string[]): Promise<number> {
  const [command = 'status', ...rest] = argv;
  switch (command) {
    case 'up': {
      const names = rest.filter((arg) => !arg.startsWith('--'));
      await up(names.length ? { only: names } : {});
      console.log(whereToLook());
      return rest.includes('--traffic') ? demoTraffic() : 0;
    }
    case 'status': {
      const rows = await status();
      printTable(rows as unknown as Record<string, string>[]);
      return rows.every((row) => row.health.startsWith('ok')) ? 0 : 1;
    }
    case 'logs': {
      const name = rest.find((arg) => !arg.startsWith('-'));
      if (!name)
        throw new Error(
          `usage: logs <component>; components: ${components()
            .map((c) => c.name)
            .join(', ')}`,
        );
      const index = rest.indexOf('-n');
      const lines = index >= 0 ? Number(rest[index + 1]) : 40;
      const component = components().find((candidate) => candidate.name === name);
      console.log(await tail(component?.logFile ?? logFileOf(name), lines));
      return 0;
    }
    case 'stop':
      for (const component of named('stop', rest)) {
        await component.stop();
        const until =
          component.kind === 'supervisor'
            ? 'nothing is restarted until `up`'
            : `not supervised until \`up ${component.name}\``;
        console.log(`  ✓ stopped ${component.name}: ${until}`);
      }
      return 0;
    case 'hold':
      for (const component of named('hold', rest)) {
        if (component.kind === 'supervisor') throw new Error('the supervisor is not supervised: `stop supervisor`');
        await hold(component.name, 'cli');
        console.log(`  ✓ held ${component.name}: the supervisor leaves it alone until \`up ${component.name}\``);
      }
      return 0;
    case 'down': {
      const held = await down();
      if (held.length) {
        console.error(`ports still held after down: ${held.join(', ')}`);
        return 1;
      }
      console.log('stack stopped; no port of ours is held');
      return 0;
    }
    case 'k6': {
      const { script, profile } = parseK6Args(rest);
      // RATE, DURATION, VUS, STOCK reach k6 through the environment.
      const result = await runK6(script, { profile });
      console.log(`k6 summary: ${result.summaryFile}`);
      console.log(`client ledger: ${result.ledger.length} accepted orders in ${result.ledgerFile}`);
      return result.exitCode;
    }
    case 'shoppers': {
      const count = Number(rest[0] ?? 2000);
      const started = performance.now();
      console.log(`▸ seeding ${count} shoppers (shopper-<n>@crowd.confeitaria.test) through the gateway`);
      const seeded = await seedShoppers(count);
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      console.log(`  ${seeded.alreadyThere} were there, ${seeded.registered} registered (${seconds} s)`);
      console.log(`  now: SHOPPERS=${count} npm run loadtest -- crowd   (VUS ≤ ${count})`);
      return 0;
    }
    case 'tools': {
      const unknown = rest.filter((name) => !isToolName(name));
      if (unknown.length)
        throw new Error(`unknown tools: ${unknown.join(', ')}; pinned tools: ${toolNames('docker').join(', ')}`);
      const paths = await ensureTools(rest.filter(isToolName).length ? rest.filter(isToolName) : toolNames('local'));
      for (const [name, path] of Object.entries(paths)) console.log(`${name}\t${path}`);
      return 0;
    }
    default:
      throw new Error(`unknown command "${command}" (up, status, logs, stop, hold, down, k6, shoppers, tools)`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`\n✗ ${error.message}`);
    process.exitCode = 1;
  },
);
