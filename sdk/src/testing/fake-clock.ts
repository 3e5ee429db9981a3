import type { Clock } from '../context.js';

/** A clock that moves only when told: `advance(ms)`. */
export class FakeClock implements Clock {
  private wall: number;
  private mono = 0;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.wall = start;
  }

  now(): number {
    return this.wall;
  }

  monotonic(): number {
    return this.mono;
  }

  advance(ms: number): void {
    this.wall += ms;
    this.mono += ms;
  }
}
