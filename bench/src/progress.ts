/** Progress for a long benchmark: the part and step running, elapsed time and an estimate of what is left. */
export class BenchProgress {
  private readonly started = Date.now();
  private spent = 0;

  constructor(private readonly plannedSeconds: number) {}

  step(part: string, what: string, seconds = 0): void {
    const elapsed = (Date.now() - this.started) / 1000;
    const left = Math.max(0, this.plannedSeconds - this.spent);
    console.log(`[${fmt(elapsed)} elapsed, ~${fmt(left)} left] ${part}: ${what}`);
    this.spent += seconds;
  }
}

const fmt = (seconds: number) => `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
