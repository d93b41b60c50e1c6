/**
 * The preload and the application are loaded separately, so the running SDK is handed over through a
 * process-wide symbol rather than a module variable.
 */
const handle = Symbol.for('confeitaria.telemetry');

interface Shutdownable {
  shutdown(): Promise<void>;
}

export function registerTelemetry(sdk: Shutdownable): void {
  (globalThis as Record<symbol, unknown>)[handle] = sdk;
}

/** Flushes pending spans and stops the SDK; a no-op when telemetry is off. Never throws. */
export async function shutdownTelemetry(): Promise<void> {
  const sdk = (globalThis as Record<symbol, unknown>)[handle] as Shutdownable | undefined;
  if (!sdk) return;
  try {
    await sdk.shutdown();
  } catch {
    // Spans that cannot be flushed at exit are lost; the process still exits cleanly.
  }
}
