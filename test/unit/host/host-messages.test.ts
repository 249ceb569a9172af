import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  envelopeOf,
  type HostAnswer,
  serializedAnswer,
  transferOf,
} from '../../../electron/backend/host/host-messages';
import type { Envelope } from '../../../shared/contract/envelope';

/** Posts `answer` as the host's thread passes a reader's answer on to the writer, and takes it there. */
async function passedOn(answer: HostAnswer): Promise<HostAnswer> {
  const { port1, port2 } = new MessageChannel();
  try {
    const received = new Promise<HostAnswer>((resolve) => port2.once('message', resolve));
    port1.postMessage(answer, transferOf(answer));
    return await received;
  } finally {
    port1.close();
    port2.close();
  }
}

describe('a read the writer hands off, answered across the host', () => {
  it('arrives whole, and the thread passing it on hands over one buffer rather than copying its rows', async () => {
    // An org's rows for its archive: many objects, counts past 2^53 as bigints, a file's bytes.
    const rows = Array.from({ length: 2_000 }, (_, i) => ({
      day: `2026-11-${(i % 30) + 1}`,
      input_tokens: i,
    }));
    const envelope: Envelope<unknown> = {
      ok: true,
      data: { rows, records: 2n ** 60n, file: Buffer.from('refund policy'), none: undefined },
    };
    const answer = serializedAnswer(envelope);
    const sent = answer.kind === 'serialized' ? answer.bytes : undefined;
    const received = await passedOn(answer);
    // Handed over: the sender's buffer is empty now, so nothing of it was copied.
    expect(sent?.byteLength).toBe(0);
    expect(received.kind).toBe('serialized');
    expect(envelopeOf(received)).toStrictEqual(envelope);
  });

  it("carries a failed read's reason", async () => {
    const failed: Envelope<unknown> = { ok: false, error: { code: 'INTERNAL', message: 'the read failed' } };
    expect(envelopeOf(await passedOn(serializedAnswer(failed)))).toEqual(failed);
  });
});
