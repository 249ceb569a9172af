import { describe, expect, it } from 'vitest';
import { createWriteTurns } from '../../../electron/backend/router/write-turns';

/** A promise and the function that settles it. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('write turns', () => {
  it('runs a call alone after the writes under way, and holds the writes that come meanwhile', async () => {
    const turns = createWriteTurns();
    const order: string[] = [];
    const first = gate();
    const writing = turns.write(async () => {
      order.push('write under way');
      await first.opened;
      order.push('write under way ends');
    });
    const restoring = turns.alone(async () => {
      order.push('restore');
      await settle();
      order.push('restore ends');
    });
    const later = turns.write(async () => void order.push('later write'));
    await settle();
    expect(order).toEqual(['write under way']);
    first.open();
    await Promise.all([writing, restoring, later]);
    expect(order).toEqual([
      'write under way',
      'write under way ends',
      'restore',
      'restore ends',
      'later write',
    ]);
  });

  it('lets the writes go on when the call run alone fails', async () => {
    const turns = createWriteTurns();
    await expect(turns.alone(() => Promise.reject(new Error('damaged backup')))).rejects.toThrow(
      'damaged backup',
    );
    expect(await turns.write(async () => 'written')).toBe('written');
    // Writes at once do not wait for each other.
    const held = gate();
    const slow = turns.write(() => held.opened.then(() => 'slow'));
    expect(await turns.write(async () => 'fast')).toBe('fast');
    held.open();
    expect(await slow).toBe('slow');
  });
});
