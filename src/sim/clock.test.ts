// The simulator's clocks: the manual one runs due timers in order (nested ones too), the real one
// fires on wall time and cancels everything on stop.
import { describe, expect, it } from 'vitest';
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
  it('fires on wall time, and fires nothing after stop', async () => {
    const clock = new RealClock();
    const fired: number[] = [];
    clock.after(10, () => fired.push(1));
    clock.after(60, () => fired.push(2));
    await new Promise((resolve) => setTimeout(resolve, 30));
    clock.stop();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(fired).toEqual([1]);
  });
});
