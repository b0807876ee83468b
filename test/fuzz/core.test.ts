// Fuzz: the whole command core over the demo province. Any text, unicode, huge input,
// reply or button from any sender: no unexpected error, a Vietnamese answer within
// the channel limits, and a database change only with an acknowledgement.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreProblem, textProblem } from './checks.ts';
import { fuzzHarness, fuzzMessage } from './core-fixture.ts';

const SEED = 20261129;

describe('fuzz: command core', () => {
  it('answers every message in Vietnamese and never writes on a refusal', async () => {
    const h = await fuzzHarness();
    await fc.assert(
      fc.asyncProperty(fuzzMessage, async (m) => {
        expect(await coreProblem(h, m)).toBeNull();
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('keeps those properties over a sequence of messages (prompts, second reports, decided requests)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fuzzMessage, { minLength: 2, maxLength: 12 }), async (ms) => {
        const h = await fuzzHarness();
        for (const m of ms) expect(await coreProblem(h, m)).toBeNull();
      }),
      { seed: SEED, numRuns: 25 },
    );
  });

  it('keeps a task detail a few messages long after many refused extension requests with long reasons (found by fuzzing)', async () => {
    const h = await fuzzHarness();
    const long = 'Chờ ý kiến của các sở, ngành liên quan. '.repeat(30);
    for (let i = 1; i <= 12; i++) {
      const asked = await h.say('cb-xa-an', `/giahan NV-10 ${10 + i}/12/2026 ${long}`);
      const id = /số (\d+)/.exec(asked)?.[1];
      expect(id).toBeDefined();
      expect(await h.say('ct-tinh', `/tuchoi ${id} ${long}`)).toMatch(/^Đã từ chối/);
    }
    const detail = await h.say('cb-xa-an', '/viec NV-10');
    expect(detail).toMatch(/7 đề nghị gia hạn trước đó/);
    expect(textProblem(detail, '/viec NV-10')).toBeNull();
  });

  it('keeps /viec a few messages long when thirty tasks have 500-character titles (found by fuzzing)', async () => {
    const h = await fuzzHarness();
    const title = 'Rà soát, tổng hợp và báo cáo kết quả thực hiện các nhiệm vụ trọng tâm. '.repeat(8);
    for (let i = 0; i < 30; i++) expect(await h.say('ct-tinh', `/giao XA-AN 31/12/2026 ${title}`)).toMatch(/^Đã giao/);
    const list = await h.say('ct-tinh', '/viec');
    expect(list).toMatch(/…/);
    expect(textProblem(list, '/viec')).toBeNull();
  });
});
