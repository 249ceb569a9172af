import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { channelNames, contract } from '../../../shared/contract';
import { channel, defineContract } from '../../../shared/contract/channel';
import { PERMISSIONS } from '../../../shared/domain/permissions';

const ping = channel({
  summary: 'Ping',
  kind: 'read',
  permission: 'public',
  input: z.object({}),
  output: z.object({ pong: z.literal(true) }),
});

describe('defineContract', () => {
  it('joins the groups into one map', () => {
    const joined = defineContract({ 'test.ping': ping }, { 'other.ping': ping });
    expect(Object.keys(joined)).toEqual(['test.ping', 'other.ping']);
  });

  it('throws at start-up on a channel declared twice', () => {
    expect(() => defineContract({ 'test.ping': ping }, { 'test.ping': ping })).toThrow(/"test\.ping".*twice/);
  });

  it.each([
    'ping',
    'test.ping.again',
    'Test.ping',
    'test.',
    '.ping',
    'test.pi-ng',
    'test.ping!',
    'test_x.ping',
  ])('throws on the badly formed name %j', (name) => {
    expect(() => defineContract({ [name]: ping })).toThrow(/domain\.action/);
  });
});

describe('the contract', () => {
  it('has channels, all listed in channelNames', () => {
    expect(channelNames.length).toBeGreaterThan(0);
    expect([...channelNames].sort()).toEqual(Object.keys(contract).sort());
  });

  it.each(channelNames)('%s is named domain.action and fully described', (name) => {
    expect(name).toMatch(/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/);
    const spec = contract[name];
    expect(spec.input).toBeInstanceOf(z.ZodType);
    expect(spec.output).toBeInstanceOf(z.ZodType);
    expect(PERMISSIONS).toContain(spec.permission);
    expect(['read', 'write']).toContain(spec.kind);
    expect(spec.summary.trim().length).toBeGreaterThan(0);
  });
});
