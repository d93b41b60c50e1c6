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

const fmt = (seconds: number) => {
  const whole = Math.round(seconds); // rounded once, so 119.6 s reads 2m00s and never 1m60s
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
};
