/**
 * Last known reachability of one database server. Queries report their outcome, and a probe
 * runs every `probeIntervalMs`, so readiness turns false when the server goes away even
 * without traffic, and recovers by itself when it returns (Kubernetes sends no traffic to
 * a pod that is not ready, so recovery cannot wait for a request).
 */
export class Availability {
  private up: boolean | undefined;
  private timer: NodeJS.Timeout | undefined;
  private probing = false;

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly probeIntervalMs: number,
    /** Called on each transition (and on the first check), e.g. to log it. */
    private readonly onChange: (up: boolean, error?: unknown) => void = () => undefined,
  ) {}

  get isUp(): boolean {
    return this.up === true;
  }

  /** Probes once now, then in the background. */
  async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), this.probeIntervalMs);
    this.timer.unref();
  }

  markUp(): void {
    if (this.up !== true) this.onChange(true);
    this.up = true;
  }

  markDown(error: unknown): void {
    if (this.up !== false) this.onChange(false, error);
    this.up = false;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await this.probe();
      this.markUp();
    } catch (error) {
      this.markDown(error);
    } finally {
      this.probing = false;
    }
  }
}
