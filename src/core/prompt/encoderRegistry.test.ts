import { describe, expect, it } from 'vitest';
import type { Encoder } from './encoder';
import { getEncoder, listEncoders, registerEncoder, unregisterEncoder } from './encoderRegistry';
import { OFFLINE_ENCODER_ID } from './offlineEncoder';

describe('encoder registry', () => {
  it('has the offline encoder by default', async () => {
    expect(listEncoders().map((e) => e.id)).toContain(OFFLINE_ENCODER_ID);
    const enc = getEncoder(OFFLINE_ENCODER_ID);
    expect(enc?.info.offline).toBe(true);
    const v = await (enc as Encoder).encode(['a park', 'a station']);
    expect([v.n, v.dimension, v.data.length]).toEqual([2, 384, 768]);
    expect(getEncoder('no-such-encoder')).toBeNull();
  });

  it('registers, replaces and removes encoders', async () => {
    const info = { id: 'test-constant', name: 'Constant', dimension: 2, offline: true, description: 'test' };
    const make = (value: number): Encoder => ({
      info,
      encode: async (texts) => ({
        n: texts.length,
        dimension: 2,
        data: new Float32Array(texts.length * 2).fill(value),
        encoder: info.id,
      }),
    });
    registerEncoder({ info, create: () => make(1) });
    registerEncoder({ info, create: () => make(2) });
    expect(listEncoders().filter((e) => e.id === 'test-constant')).toHaveLength(1);
    expect((await (getEncoder('test-constant') as Encoder).encode(['x'])).data[0]).toBe(2);
    expect(unregisterEncoder('test-constant')).toBe(true);
    expect(getEncoder('test-constant')).toBeNull();
    expect(() => registerEncoder({ info: { ...info, id: '' }, create: () => make(0) })).toThrow(
      /non-empty id/,
    );
  });
});
