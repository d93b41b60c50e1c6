import type { BenchProgress } from './progress';

/** What every part of the harness is given: where to write, how long to measure, how to report progress. */
export interface BenchContext {
  outDir: string;
  progress: BenchProgress;
  /** Seconds per measurement. */
  seconds: number;
  /** Alternating rounds of each comparison. */
  rounds: number;
  /** Concurrent virtual users of a closed-loop measurement. */
  vus: number;
  quick: boolean;
}
