/**
 * What the load lost while each crash was in force: the requests k6 sent from the kill until the
 * process was back, and those that failed, by status ("0": no answer, the connection was refused or cut
 * mid-request). From k6's own counters in Prometheus (remote write), so it is what shoppers saw.
 */
import type { CrashWindowRequests, FaultWindow } from '../run-result';
import { instantAt } from './prometheus-client';

const crashKinds = new Set(['kill', 'crash', 'stop']);

export async function crashWindowRequests(testId: string, faults: FaultWindow[]): Promise<CrashWindowRequests[]> {
  return Promise.all(
    faults
      .filter((fault) => crashKinds.has(fault.kind))
      .map(async (fault) => {
        const window = `${Math.max(1, Math.ceil((fault.end - fault.start) / 1000))}s`;
        const requests = `k6_http_reqs_total{testid="${testId}"}`;
        const failedRequests = `k6_http_reqs_total{testid="${testId}",expected_response="false"}`;
        const [total, failed] = await Promise.all([
          instantAt(`sum(increase(${requests}[${window}]))`, fault.end),
          instantAt(`sum by (status) (increase(${failedRequests}[${window}]))`, fault.end),
        ]);
        const failedByStatus = Object.fromEntries(
          failed
            .map((series) => [series.labels.status ?? '?', Math.round(series.value ?? 0)] as const)
            .filter(([, count]) => count > 0),
        );
        return {
          fault: fault.id,
          target: fault.target,
          start: fault.start,
          end: fault.end,
          requests: Math.round(total[0]?.value ?? 0),
          failed: Object.values(failedByStatus).reduce((sum, count) => sum + count, 0),
          failedByStatus,
        };
      }),
  );
}
