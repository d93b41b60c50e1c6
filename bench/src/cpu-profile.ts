/**
 * Where a process spends its CPU, from a V8 .cpuprofile (node --cpu-prof): self time grouped by npm
 * package (or node: internals, or our own code), the shape that says what to remove first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
}

export interface CostShare {
  where: string;
  share: number;
}

/** `node_modules/@koa/router/…` → `@koa/router`; `node:internal/…` → `node internals`; ours by workspace. */
function owner(url: string, functionName: string): string {
  if (!url)
    return functionName === '(garbage collector)'
      ? 'garbage collection'
      : functionName === '(idle)'
        ? 'idle'
        : 'V8 / native';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1] as string;
  if (url.startsWith('node:')) return 'node internals';
  const ours = /\/(services\/[^/]+|stack|chaos)\//.exec(url);
  return ours ? `ours: ${ours[1]}` : url;
}

/** Shares of non-idle CPU time per owner, largest first (the few that matter, the rest summed as other). */
export function costByOwner(profileDir: string, top = 8): CostShare[] {
  const files = readdirSync(profileDir).filter((file) => file.endsWith('.cpuprofile'));
  const totals = new Map<string, number>();
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as { nodes: ProfileNode[] };
    for (const node of profile.nodes) {
      const where = owner(node.callFrame.url, node.callFrame.functionName);
      if (where === 'idle' || where === '(program)') continue;
      totals.set(where, (totals.get(where) ?? 0) + (node.hitCount ?? 0));
    }
  }
  const all = [...totals.values()].reduce((sum, n) => sum + n, 0) || 1;
  const sorted = [...totals].sort((a, b) => b[1] - a[1]);
  const shares = sorted.slice(0, top).map(([where, hits]) => ({ where, share: hits / all }));
  const rest = sorted.slice(top).reduce((sum, [, hits]) => sum + hits, 0);
  if (rest) shares.push({ where: 'other', share: rest / all });
  return shares;
}
