// The simulator's sense of time. Deployments progress on this clock; tests use the manual clock
// and advance it, so a 10 s min_healthy_time costs no real waiting. `steward sim` uses real time.

export interface SimClock {
  now(): number;
  /** Runs `fn` after `delayMs` of this clock's time; returns a cancel function. */
  after(delayMs: number, fn: () => void): () => void;
  /** Cancels every pending timer (on shutdown). */
  stop(): void;
}

export class RealClock implements SimClock {
  private readonly timers = new Set<NodeJS.Timeout>();

  now(): number {
    return Date.now();
  }

  after(delayMs: number, fn: () => void): () => void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, delayMs);
    // The HTTP servers keep the process alive while the simulator runs; its timers never should.
    timer.unref();
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

export class ManualClock implements SimClock {
  private current: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(startMs = Date.UTC(2025, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  after(delayMs: number, fn: () => void): () => void {
    const entry = { at: this.current + Math.max(0, delayMs), seq: this.seq++, fn };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((p) => p !== entry);
    };
  }

  /** Moves time forward, running due timers in order (including timers they schedule). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.pending.filter((p) => p.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = target;
  }

  stop(): void {
    this.pending = [];
  }
}
