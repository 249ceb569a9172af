import { describe, expect, it } from 'vitest';
import { axisTicks } from '../../../renderer/src/features/billing/chart-ticks';

describe('axisTicks', () => {
  it('spans the values on round steps from zero', () => {
    expect(axisTicks(0, 3_950)).toEqual([0, 1_000, 2_000, 3_000, 4_000]);
    expect(axisTicks(120, 830)).toEqual([0, 500, 1_000]);
  });

  it('reaches below zero for a negative margin, with zero still a tick', () => {
    expect(axisTicks(-34.6, 92.8)).toEqual([-50, 0, 50, 100]);
    expect(axisTicks(-12, -3)).toEqual([-15, -10, -5, 0]);
  });

  it('keeps small steps round', () => {
    expect(axisTicks(0, 0.55)).toEqual([0, 0.2, 0.4, 0.6]);
  });

  it('gives an empty month an axis to draw on', () => {
    expect(axisTicks(0, 0)).toEqual([0, 1]);
  });
});
