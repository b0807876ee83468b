// Fuzz: the spreadsheet importer with malformed files — random bytes, damaged .xlsx,
// broken CSV quoting, huge cells, mixed separators, BOMs: a Vietnamese error and
// nothing written, or the whole file written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../src/app/import/import.service.ts';
import { NOW, ZONE } from '../app/chat/helpers.ts';
import { fuzzHarness } from './core-fixture.ts';
import { allOrNothingProblem, fuzzFile, importProblem, oneBadRow } from './import-files.ts';

const SEED = 20261129;

describe('fuzz: spreadsheet import', () => {
  it('refuses a bad file whole, in Vietnamese, writing nothing', async () => {
    const h = await fuzzHarness();
    await fc.assert(
      fc.asyncProperty(fuzzFile, async ({ kind, file }) => {
        expect(await importProblem(h.db, kind, file, NOW, ZONE)).toBeNull();
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('writes nothing from a file with one wrong row among right ones, and everything once it is fixed', async () => {
    const h = await fuzzHarness();
    await fc.assert(
      fc.asyncProperty(oneBadRow, async (c) => {
        expect(await allOrNothingProblem(h.db, c, NOW, ZONE)).toBeNull();
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  it('refuses a role or a comparator named after an Object method, row by row (found by fuzzing)', async () => {
    const h = await fuzzHarness();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-proto-'));
    const officers = path.join(dir, 'o.csv');
    fs.writeFileSync(officers, 'code,full_name,unit,role\nCB-P1,Nguyễn Văn Một,XA-AN,constructor\nCB-P2,Trần Thị Hai,XA-AN,__proto__\n');
    const commitments = path.join(dir, 'c.csv');
    fs.writeFileSync(commitments, 'unit,year,signed_at,doc_ref,target_code,indicator,comparator,target,measure\nXA-AN,2027,15/01/2027,CK 1,P-1,Tỷ lệ,toString,90,%\n');
    const o = await importFile(h.db, 'officers', officers, { zone: ZONE, now: NOW });
    const c = await importFile(h.db, 'commitments', commitments, { zone: ZONE, now: NOW });
    expect(o.ok ? [] : o.errors.map((e) => `${e.row} ${e.column}`)).toEqual(['2 role', '3 role']);
    expect(c.ok ? [] : c.errors.map((e) => `${e.row} ${e.column}`)).toEqual(['2 comparator']);
  });
});
