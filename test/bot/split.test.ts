import { describe, expect, it } from 'vitest';
import { splitText } from '../../src/bot/split.ts';

describe('splitText', () => {
  it('keeps short text whole', () => {
    expect(splitText('xin chào', 10)).toEqual(['xin chào']);
  });
  it('splits at line breaks within the limit', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `Dòng ${i}: nhiệm vụ số ${i}`);
    const parts = splitText(lines.join('\n'), 2000);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2000);
    expect(parts.join('\n')).toBe(lines.join('\n'));
  });
  it('splits a long line without breaks, never inside an emoji', () => {
    const text = '🚀'.repeat(3000);
    const parts = splitText(text, 4095);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(4095);
      expect(/[\uD800-\uDBFF]$/.test(p)).toBe(false);
    }
    expect(parts.join('')).toBe(text);
  });
});
