// Fuzz: splitting for the channels keeps every piece within the limit and valid UTF-8,
// even when a use case clipped typed text in the middle of an emoji.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitText } from '../../src/bot/split.ts';
import { splitProblem } from './checks.ts';

describe('fuzz: splitText', () => {
  it('gives pieces within the limit with no half surrogate pair, keeping every non-space character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 1500 }), fc.integer({ min: 2, max: 500 }), (text, max) => {
        expect(splitProblem(text, max)).toBeNull();
      }),
      { seed: 20261129, numRuns: 150 },
    );
  });

  it('replaces the half of an emoji left by clipping with U+FFFD', () => {
    const clipped = `Không có đơn vị mã ${'😀'.repeat(20).slice(0, 31)}. Kiểm tra lại mã đơn vị.`;
    expect(splitText(clipped, 4096)[0]).toBe(`Không có đơn vị mã ${'😀'.repeat(15)}\ufffd. Kiểm tra lại mã đơn vị.`);
  });
});
