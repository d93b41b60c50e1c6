/**
 * `npm run stack -- up --traffic`: gentle shopper traffic for a live demo, so the dashboards and the
 * storefront have life during a talk. The journey under the crowd profile (loadtest/lib/profiles.js):
 * VUS shoppers (default 12) from many loopback addresses, ramped in over RAMP (30 s), each thinking
 * THINK (default 1–5 s) between steps, for DURATION (default 12 h) or until Ctrl-C. The stack stays up
 * afterwards; the run's summary and ledger are in reports/traffic/<stamp>/.
 */
import { join } from 'node:path';
import { runK6 } from './k6';
import { repoRoot } from './paths';

export async function demoTraffic(): Promise<number> {
  const env = {
    VUS: process.env.VUS ?? '12',
    THINK: process.env.THINK ?? '1-5',
    RAMP: process.env.RAMP ?? '30s',
    DURATION: process.env.DURATION ?? '12h',
  };
  console.log(
    `▸ demo traffic: ${env.VUS} shoppers, ${env.THINK} s between steps, for ${env.DURATION} or until Ctrl-C (the stack stays up)`,
  );
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const controller = new AbortController();
  // Ctrl-C reaches k6 from the terminal too, and k6 stops its shoppers within its graceful stop (10 s);
  // a second SIGINT would cut that short, so this process passes one on only if k6 is still running
  // after that (the SIGINT was this process's alone). A SIGTERM is passed on at once.
  const passOn = () => controller.abort();
  const stayForK6 = () => setTimeout(passOn, 12_000).unref();
  process.on('SIGINT', stayForK6);
  process.once('SIGTERM', passOn);
  try {
    const result = await runK6('journey', {
      profile: 'crowd',
      env,
      outDir: join(repoRoot, 'reports', 'traffic', stamp),
      testId: `demo-traffic-${stamp}`,
      signal: controller.signal,
    });
    console.log(`demo traffic stopped: ${result.ledger.length} orders placed; summary ${result.summaryFile}`);
    // Stopped on purpose is how a demo's traffic ends: not a failure.
    return result.signal === 'SIGINT' || result.exitCode === 0 || controller.signal.aborted ? 0 : result.exitCode;
  } finally {
    process.off('SIGINT', stayForK6);
    process.off('SIGTERM', passOn);
  }
}
