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
    }, 1_000);
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
    await expect(turns.alone(() => Promise.reject(new Error('damaged backup')), 1_000)).rejects.toThrow(
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

  it('refuses the call run alone when the writes under way outlast its wait, and lets the writes held meanwhile go on', async () => {
    const turns = createWriteTurns();
    const long = gate();
    const importing = turns.write(() => long.opened.then(() => 'imported'));
    let restored = false;
    const restoring = turns.alone(async () => {
      restored = true;
    }, 30);
    const held = turns.write(async () => 'written after the refusal');
    await expect(restoring).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(restored).toBe(false);
    expect(await held).toBe('written after the refusal');
    long.open();
    expect(await importing).toBe('imported');
  });
});
