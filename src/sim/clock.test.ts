// The simulator's clocks: the manual one runs due timers in order (nested ones too), the real one
// fires on wall time and cancels everything on stop.
import { describe, expect, it, vi } from 'vitest';
import { ManualClock, RealClock } from './clock.js';

describe('ManualClock', () => {
  it('runs due timers in time order, including timers they schedule within the window', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.after(300, () => fired.push(`b@${clock.now()}`));
    clock.after(100, () => {
      fired.push(`a@${clock.now()}`);
      clock.after(100, () => fired.push(`nested@${clock.now()}`));
    });
    const cancel = clock.after(150, () => fired.push('cancelled'));
    cancel();
    clock.advance(250);
    expect(fired).toEqual(['a@100', 'nested@200']);
    expect(clock.now()).toBe(250);
    clock.advance(50);
    expect(fired).toEqual(['a@100', 'nested@200', 'b@300']);
  });
});

describe('RealClock', () => {
  // Node's timers under vitest's fake clock: the same setTimeout calls, without depending on how
  // busy the machine is.
  it('fires on wall time, and fires nothing after stop', () => {
    vi.useFakeTimers();
    try {
      const clock = new RealClock();
      const fired: number[] = [];
      clock.after(10, () => fired.push(1));
      clock.after(60, () => fired.push(2));
      vi.advanceTimersByTime(30);
      expect(fired).toEqual([1]);
      clock.stop();
      vi.advanceTimersByTime(1_000);
      expect(fired).toEqual([1]);
    } finally {
      vi.useRealTimers();
    }
  });
});
