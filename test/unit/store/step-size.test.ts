import { describe, expect, it } from 'vitest';
import { STEP_MS, stepSize } from '../../../electron/backend/store/repos/step-size';

describe('a rewrite’s step size', () => {
  it('grows while steps are quick and shrinks when they are slow, at most twice at once', () => {
    const size = stepSize(1_000, 100, 16_000);
    size.took(STEP_MS / 10);
    expect(size.size).toBe(2_000);
    size.took(STEP_MS);
    expect(size.size).toBe(2_000);
    size.took(STEP_MS * 4);
    expect(size.size).toBe(1_000);
    size.took(STEP_MS * 1.25);
    expect(size.size).toBe(800);
  });

  it('stays within its bounds, however quick or slow the machine', () => {
    const size = stepSize(1_000, 100, 16_000);
    for (let step = 0; step < 10; step++) size.took(0);
    expect(size.size).toBe(16_000);
    for (let step = 0; step < 20; step++) size.took(10_000);
    expect(size.size).toBe(100);
  });
});
