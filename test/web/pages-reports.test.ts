// The report pages over HTTP: /, /donvi/<mã>, /nhiemvu/<mã>, /camket, /dinhky — their
// numbers equal the report service's (the chat's and the CLI's), who may open which, the
// .xlsx downloads, and bad parameters.
import { afterEach, describe, expect, it } from 'vitest';
import { importRows } from '../../src/app/import/import.service.ts';
import { recurringReport } from '../../src/app/recurring/report.ts';
import { scorecard } from '../../src/app/commitments/scorecard.ts';
import { buildReport } from '../../src/app/report.service.ts';
import { loadConfig } from '../../src/config.ts';
import { insertEvidence } from '../../src/db/evidence.repo.ts';
import { officerByCode } from '../../src/db/officers.repo.ts';
import { taskByCode } from '../../src/db/tasks.repo.ts';
import { unitByCode } from '../../src/db/units.repo.ts';
import { yearEnd } from '../../src/domain/commitments.ts';
import { parsePeriod } from '../../src/domain/period.ts';
import { onTimeRate, taskStatus, type StatusCounts, type TaskStatus } from '../../src/domain/status.ts';
import { viNumber, viPercent } from '../../src/domain/text.ts';
import { ACTOR, SCOPE_UNIT, SCOPES, type Role, type Scope } from '../security/authz-fixture.ts';
import { ZONE } from '../app/chat/helpers.ts';
import { NOW, startWeb, type Browser, type WebTarget } from './helpers.ts';

let w: WebTarget;
afterEach(async () => {
  await w?.stop();
});

const CUTOFF = loadConfig({}).reportCutoffDay ?? null;

function decode(s: string): string {
  return s
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

/** The body cells of the page's table `key` (the rows after the heading), as text. */
function cells(page: string, key: string): string[][] {
  const sec = new RegExp(`<section data-table="${key}">([\\s\\S]*?)</section>`).exec(page);
  if (!sec) throw new Error(`no table ${key} on the page`);
  return [...sec[1].matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .map((m) => [...m[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => decode(c[1])))
    .filter((r) => r.length > 0);
}

/** The counts as the page prints them: total, on time, late, overdue, in progress, rate. */
function countsCells(c: StatusCounts): string[] {
  const r = onTimeRate(c);
  return [c.total, c.doneOnTime, c.doneLate, c.overdue, c.inProgress].map(String).concat(r === null ? 'chưa đến hạn' : viPercent(r));
}

function period(ky: string) {
  const p = parsePeriod(ky, NOW, ZONE, CUTOFF);
  return { from: p.from, to: p.to, asOf: Math.min(NOW, p.to) };
}

/** Tasks of every status in several months (on top of the fixture's open ones due in 5 days). */
async function moreTasks(t: WebTarget): Promise<void> {
  const rows = [
    ['W-1', 'XA-AN', '05/03/2026', '20/03/2026', '18/03/2026'],
    ['W-2', 'XA-AN', '10/04/2026', '20/04/2026', '25/04/2026'],
    ['W-3', 'PB-AN', '02/06/2026', '30/06/2026', ''],
    ['W-4', 'XA-DONG', '10/11/2026', '20/11/2026', ''],
    ['W-5', 'XA-DONG', '01/11/2026', '15/11/2026', '10/11/2026'],
    ['W-6', 'H-DONG', '01/09/2026', '01/10/2026', '05/10/2026'],
    ['W-7', 'XA-SON', '01/11/2026', '25/11/2026', ''],
    ['W-8', 'XA-AN', '02/10/2026', '10/10/2026', ''],
  ];
  const r = await importRows(
    t.db,
    'tasks',
    rows.map(([code, unit, assigned, deadline, done]) => ({
      code,
      title: `Việc <b>${code}</b> & kiểm tra`,
      unit,
      assigned_by: 'Sở Nội vụ',
      source_doc: 'Công văn 12/SNV',
      assigned_at: assigned,
      deadline,
      completed_at: done,
    })),
    { zone: ZONE, now: NOW },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
}

interface TaskFacts {
  code: string;
  unitCode: string;
  assignedAt: number;
  effectiveDeadline: number;
  completedAt: number | null;
  suspendedAt: number | null;
}

async function allTasks(): Promise<TaskFacts[]> {
  const { sql } = await import('drizzle-orm');
  const rows = await w.db.all<TaskFacts>(
    sql`SELECT t.code AS "code", u.code AS "unitCode", t.assigned_at AS "assignedAt", t.effective_deadline AS "effectiveDeadline", t.completed_at AS "completedAt", t.suspended_at AS "suspendedAt" FROM tasks t JOIN units u ON u.id = t.unit_id`,
  );
  return rows.map((r) => ({ ...r, assignedAt: Number(r.assignedAt), effectiveDeadline: Number(r.effectiveDeadline), completedAt: r.completedAt === null ? null : Number(r.completedAt), suspendedAt: r.suspendedAt === null ? null : Number(r.suspendedAt) }));
}

const byDeadline = (a: TaskFacts, b: TaskFacts) => a.effectiveDeadline - b.effectiveDeadline || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** A unit's own tasks of a period (optionally of one status), in the page's order, computed here with taskStatus. */
async function unitCodes(unit: string, p: { from: number; to: number; asOf: number }, status?: TaskStatus): Promise<string[]> {
  return (await allTasks())
    .filter((t) => t.unitCode === unit && t.assignedAt >= p.from && t.assignedAt <= Math.min(p.to, p.asOf))
    .filter((t) => status === undefined || taskStatus(t, p.asOf) === status)
    .sort(byDeadline)
    .map((t) => t.code);
}

/** Open tasks of these units, overdue now or due within 7 days, in the page's order (at most 20). */
async function openCodes(units: string[], which: 'overdue' | 'soon'): Promise<string[]> {
  return (await allTasks())
    .filter((t) => units.includes(t.unitCode) && t.completedAt === null)
    .filter((t) => (which === 'overdue' ? t.effectiveDeadline < NOW : t.effectiveDeadline >= NOW && t.effectiveDeadline <= NOW + 7 * 86_400_000))
    .sort(byDeadline)
    .slice(0, 20)
    .map((t) => t.code);
}

async function open(b: Browser, path: string): Promise<{ status: number; page: string }> {
  const res = await b.get(path);
  return { status: res.status, page: await res.text() };
}

async function xlsxRows(res: Response): Promise<unknown[][]> {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('spreadsheetml');
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const sheet = wb.worksheets[0]!;
  const out: unknown[][] = [];
  sheet.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => v ?? '')));
  return out;
}

describe('/ (overview): the report\'s numbers for the viewer\'s scope', () => {
  const cases: { code: string; unit: string | undefined; own: boolean }[] = [
    { code: 'CT-TINH', unit: undefined, own: false },
    { code: 'CT-HDONG', unit: 'H-DONG', own: false },
    { code: 'CT-XA-AN', unit: 'XA-AN', own: false },
    { code: 'CB-XA-AN', unit: 'XA-AN', own: true },
    { code: 'QT-AN', unit: 'XA-AN', own: true },
  ];

  it.each(['', 'quy 4', 'thang 3', '9 thang', 'nam 2025', '01/03/2026-30/04/2026'])('period "%s": counts, months and units equal the report service', async (ky) => {
    w = await startWeb();
    await moreTasks(w);
    for (const k of cases) {
      const b = await w.signIn(k.code);
      const { status, page } = await open(b, `/?ky=${encodeURIComponent(ky)}`);
      expect([k.code, status]).toEqual([k.code, 200]);
      const p = period(ky);
      const rep = await buildReport(w.db, { ...p, unitCode: k.unit }, ZONE);
      const counts = k.own ? (rep.units.find((u) => u.code === k.unit) ?? { total: 0, doneOnTime: 0, doneLate: 0, overdue: 0, inProgress: 0 }) : rep.totals;
      expect([k.code, cells(page, 'soluong')[0].slice(1)]).toEqual([k.code, countsCells(counts)]);

      // Month by month: each month as /tinhhinh tháng m counts it.
      const year = Number(/Từng tháng năm (\d{4})/.exec(page)?.[1]);
      const months = cells(page, 'theothang');
      for (const row of months) {
        const m = Number(/Tháng (\d+)/.exec(row[0])?.[1]);
        const mp = period(`thang ${m}/${year}`);
        const mr = await buildReport(w.db, { ...mp, unitCode: k.unit }, ZONE);
        const mc = k.own ? (mr.units.find((u) => u.code === k.unit) ?? { total: 0, doneOnTime: 0, doneLate: 0, overdue: 0, inProgress: 0 }) : mr.totals;
        expect([k.code, m, row.slice(1)]).toEqual([k.code, m, countsCells(mc)]);
      }
      expect(months.length).toBe(year === 2026 ? 11 : 12);

      // The units directly below, each with its subtree's report, best rate first.
      if (!k.own) {
        const units = cells(page, 'donvi');
        expect(units.length).toBeGreaterThan(0);
        for (const row of units) {
          const child = [...(await w.db.all<{ code: string; name: string }>((await import('drizzle-orm')).sql`SELECT code, name FROM units`))].find((u) => u.name === row[1])!;
          const cr = await buildReport(w.db, { ...p, unitCode: child.code }, ZONE);
          expect([k.code, child.code, row.slice(2)]).toEqual([k.code, child.code, countsCells(cr.totals)]);
        }
        const rates = units.map((r) => r[0]).map(Number);
        expect(rates).toEqual([...rates].sort((a, b) => a - b));
      } else {
        expect(page).not.toContain('data-table="donvi"');
      }
    }
  });

  it('shows the charts (SVG inline) beside the tables, and the overdue and due-soon lists of the scope', async () => {
    w = await startWeb();
    await moreTasks(w);
    const { page } = await open(await w.signIn('CT-HDONG'), '/');
    expect(page.match(/<svg[\s\S]*?<\/svg>/g)?.length).toBe(2);
    expect(page).toContain('Kết quả từng tháng năm 2026');
    expect(cells(page, 'quahan').map((r) => r[0])).toEqual(await openCodes(['H-DONG', 'XA-DONG'], 'overdue'));
    expect(cells(page, 'quahan').map((r) => r[0])).toContain('W-4');
    expect(cells(page, 'sapden').map((r) => r[0])).toEqual(await openCodes(['H-DONG', 'XA-DONG'], 'soon'));
    expect(page).toContain('href="/nhiemvu/W-4"');
    // Task titles with markup are escaped.
    expect(page).toContain('Việc &lt;b&gt;W-4&lt;/b&gt; &amp; kiểm tra');
    const officer = (await open(await w.signIn('CB-XA-AN'), '/')).page;
    expect(cells(officer, 'quahan').map((r) => r[0])).toEqual(await openCodes(['XA-AN'], 'overdue'));
    expect(cells(officer, 'quahan').map((r) => r[0])).toContain('W-8');
  });

  it('with a cutoff day (ngày chốt số liệu) the periods move as in the chat', async () => {
    const config = { ...loadConfig({}), reportCutoffDay: 15 };
    w = await startWeb({ extra: { config } });
    await moreTasks(w);
    const b = await w.signIn('CT-TINH');
    for (const ky of ['thang 10', 'quy 3', '']) {
      const page = (await open(b, `/?ky=${encodeURIComponent(ky)}`)).page;
      const p = parsePeriod(ky, NOW, ZONE, 15);
      const rep = await buildReport(w.db, { from: p.from, to: p.to, asOf: Math.min(NOW, p.to) }, ZONE);
      expect([ky, cells(page, 'soluong')[0].slice(1)]).toEqual([ky, countsCells(rep.totals)]);
    }
    expect((await open(b, '/?ky=thang%2010')).page).toContain('(15/09/2026–14/10/2026)');
  });

  it('a bad period → 400 with one sentence; a period not begun → 400', async () => {
    w = await startWeb();
    const b = await w.signIn('CT-HDONG');
    const bad = await open(b, '/?ky=abc');
    expect(bad.status).toBe(400);
    expect(bad.page).toContain('Không hiểu kỳ &quot;abc&quot;');
    const future = await open(b, '/?ky=nam 2030');
    expect(future.status).toBe(400);
    expect(future.page).toContain('chưa bắt đầu');
  });
});

describe('/donvi/<mã>', () => {
  it('its counts equal /tinhhinh <mã>; the status filter lists exactly those tasks; children with their counts', async () => {
    w = await startWeb();
    await moreTasks(w);
    const b = await w.signIn('CT-TINH');
    const { status, page } = await open(b, '/donvi/xa-an');
    expect(status).toBe(200);
    const p = period('');
    const rep = await buildReport(w.db, { ...p, unitCode: 'XA-AN' }, ZONE);
    const [all, own] = cells(page, 'soluong');
    expect(all.slice(1)).toEqual(countsCells(rep.totals));
    expect(own.slice(1)).toEqual(countsCells(rep.units.find((u) => u.code === 'XA-AN')!));
    expect(cells(page, 'nhiemvu').map((r) => r[0])).toEqual(await unitCodes('XA-AN', p));
    expect(cells(page, 'donvi').map((r) => [r[1], ...r.slice(2)])).toEqual([['Bộ phận Một cửa xã An Bình', ...countsCells(rep.units.find((u) => u.code === 'PB-AN')!)]]);
    const filtered = async (tt: string) => cells((await open(b, `/donvi/XA-AN?tt=${tt}`)).page, 'nhiemvu').map((r) => [r[0], r[7]]);
    const labels = { doneOnTime: 'Đúng hạn', doneLate: 'Trễ hạn', overdue: 'Quá hạn', inProgress: 'Đang thực hiện' } as const;
    const params = { doneOnTime: 'dunghan', doneLate: 'trehan', overdue: 'quahan', inProgress: 'dangthuchien' } as const;
    for (const st of Object.keys(labels) as (keyof typeof labels)[]) {
      const want = (await unitCodes('XA-AN', p, st)).map((code) => [code, labels[st]]);
      expect([st, await filtered(params[st])]).toEqual([st, want]);
      expect(want.length).toBe(rep.units.find((u) => u.code === 'XA-AN')![st]);
    }
    expect((await filtered('dunghan')).map((r) => r[0])).toContain('W-1');
    expect((await filtered('trehan')).map((r) => r[0])).toContain('W-2');
    // A period: quý 1.
    const q1 = cells((await open(b, '/donvi/XA-AN?ky=quy%201')).page, 'nhiemvu').map((r) => r[0]);
    expect(q1).toEqual(await unitCodes('XA-AN', period('quy 1')));
    expect(q1).toContain('W-1');
  });

  it('pages a long list 100 at a time; a page past the end → 400', async () => {
    w = await startWeb();
    const rows = Array.from({ length: 230 }, (_, i) => ({
      code: `P-${String(i).padStart(3, '0')}`,
      title: `Việc ${i}`,
      unit: 'PB-AN',
      assigned_by: 'UBND tỉnh',
      source_doc: '',
      assigned_at: '01/02/2026',
      deadline: '01/03/2026',
      completed_at: '',
    }));
    const r = await importRows(w.db, 'tasks', rows, { zone: ZONE, now: NOW });
    expect(r.ok).toBe(true);
    const b = await w.signIn('CB-PB-AN');
    const p1 = await open(b, '/donvi/PB-AN?tt=quahan');
    expect(cells(p1.page, 'nhiemvu')).toHaveLength(100);
    expect(p1.page).toContain('Trang 1/3');
    expect(p1.page).toContain('href="/donvi/PB-AN?tt=quahan&amp;trang=2"');
    const p3 = await open(b, '/donvi/PB-AN?tt=quahan&trang=3');
    expect(cells(p3.page, 'nhiemvu').map((x) => x[0])).toEqual(Array.from({ length: 30 }, (_, i) => `P-${200 + i}`));
    expect((await open(b, '/donvi/PB-AN?tt=quahan&trang=4')).status).toBe(400);
    expect((await open(b, '/donvi/PB-AN?trang=x')).status).toBe(400);
    // The download holds the whole filtered list.
    const sheet = await xlsxRows(await b.get('/donvi/PB-AN?tt=quahan&trang=2&xlsx=nhiemvu'));
    expect(sheet).toHaveLength(231);
    expect(sheet[0]).toEqual(['Mã', 'Nhiệm vụ', 'Cơ quan giao', 'Văn bản', 'Ngày giao', 'Hạn', 'Hoàn thành', 'Trạng thái']);
    expect(sheet[1]).toEqual(['P-000', 'Việc 0', 'UBND tỉnh', '', '01/02/2026', '01/03/2026', '', 'Quá hạn']);
  });

  it('bad parameters: an unknown unit → 404, an unknown status → 400, an unknown table → 400', async () => {
    w = await startWeb();
    const b = await w.signIn('CT-TINH');
    const unknown = await open(b, '/donvi/KHONG-CO');
    expect(unknown.status).toBe(404);
    expect(unknown.page).toContain('Không có đơn vị mã KHONG-CO.');
    const tt = await open(b, '/donvi/XA-AN?tt=xyz');
    expect(tt.status).toBe(400);
    expect(tt.page).toContain('Không hiểu trạng thái &quot;xyz&quot;');
    expect((await open(b, '/donvi/XA-AN?ky=quy%209')).status).toBe(400);
    expect((await open(b, '/donvi/XA-AN?xlsx=khong')).status).toBe(400);
    // An officer sees the children's counts on the own unit's page, without links to pages they may not open.
    const officer = (await open(await w.signIn('CB-XA-AN'), '/donvi/XA-AN')).page;
    expect(cells(officer, 'donvi').map((r) => r[1])).toEqual(['Bộ phận Một cửa xã An Bình']);
    expect(officer).not.toContain('href="/donvi/PB-AN"');
    expect((await open(await w.signIn('CT-XA-AN'), '/donvi/XA-AN')).page).toContain('href="/donvi/PB-AN"');
  });
});

describe('/nhiemvu/<mã>', () => {
  it('shows the task, its extension request, co-ordinating units and history in words', async () => {
    w = await startWeb();
    const t = (await taskByCode(w.db, 'T-XA-AN-2'))!;
    const son = (await unitByCode(w.db, 'XA-SON'))!;
    await w.db.tx((tx) => tx.orm.insert(tx.t.taskCooperators).values({ taskId: t.id, unitId: son.id }));
    const { sql } = await import('drizzle-orm');
    await w.db.run(sql`INSERT INTO task_events (task_id, at, officer_id, kind, detail) VALUES (${t.id}, ${NOW}, NULL, 'extension_requested', 'đến 08/12/2026: Chờ số liệu')`);
    const b = await w.signIn('CB-XA-AN');
    const { status, page } = await open(b, '/nhiemvu/t-xa-an-2');
    expect(status).toBe(200);
    expect(page).toContain('Nhiệm vụ thử 2 của XA-AN');
    expect(page).toContain('Kế hoạch số 9/KH-UBND');
    expect(page).toContain('UBND tỉnh');
    expect(page).toContain('Đơn vị phối hợp');
    expect(cells(page, 'giahan')[0]).toEqual(['23/11/2026 08:00', (await officerByCode(w.db, 'CB-XA-AN'))!.fullName, '08/12/2026', 'Chờ số liệu', 'Chờ duyệt', '', '', '']);
    expect(cells(page, 'lichsu')).toEqual([['23/11/2026 08:00', 'Hệ thống', 'Đề nghị gia hạn', 'đến 08/12/2026: Chờ số liệu']]);
    // The co-ordinating unit's officer sees it; not the unit's other task.
    const son1 = await w.signIn('CB-XA-SON');
    expect((await open(son1, '/nhiemvu/T-XA-AN-2')).status).toBe(200);
    expect((await open(son1, '/nhiemvu/T-XA-AN-1')).status).toBe(403);
    // The newer columns when set: confirmation awaited, assignee, suspension, evidence.
    const an = (await officerByCode(w.db, 'CB-XA-AN'))!;
    const { eq } = await import('drizzle-orm');
    await w.db.tx((tx) =>
      tx.orm
        .update(tx.t.tasks)
        .set({ needsConfirmation: true, reportedAt: NOW - 3_600_000, reportedBy: an.id, reportNote: 'Đã gửi báo cáo', assigneeId: an.id, suspendedAt: NOW, suspendReason: 'Chờ chủ trương' })
        .where(eq(tx.t.tasks.id, t.id)),
    );
    await insertEvidence(w.db, { taskId: t.id, sha256: 'a'.repeat(64), ext: 'pdf', mime: 'application/pdf', size: 20480, originalName: 'bien-ban.pdf', kind: 'document', officerId: an.id, channel: 'telegram', at: NOW });
    const more = (await open(b, '/nhiemvu/T-XA-AN-2')).page;
    expect(more).toContain('Cần xác nhận');
    expect(more).toContain(`23/11/2026 07:00 · ${an.fullName} · Đã gửi báo cáo`);
    expect(more).toContain('Cán bộ được phân công');
    expect(more).toContain('Tạm dừng từ 23/11/2026');
    expect(more).toContain('Chờ chủ trương');
    expect(cells(more, 'minhchung')).toEqual([['bien-ban.pdf', 'Tài liệu', '20 KB', an.fullName, '23/11/2026 08:00']]);
    const none = await open(b, '/nhiemvu/KHONG-CO');
    expect(none.status).toBe(404);
    expect(none.page).toContain('Không có nhiệm vụ mã KHONG-CO.');
  });
});

/** Who opens which unit's page: /donvi and /nhiemvu as the unit pages (permissions.ts); /camket/<mã> as the chat's /camket. */
const SEES_UNIT: Record<Role, Record<Scope, boolean>> = {
  officer: { own: true, child: false, other: false, parent: false },
  admin: { own: true, child: false, other: false, parent: false },
  head: { own: true, child: true, other: false, parent: false },
  chair: { own: true, child: true, other: false, parent: false },
};
const SEES_COMMITMENT: Record<Role, Record<Scope, boolean>> = {
  officer: { own: true, child: false, other: false, parent: false },
  admin: { own: true, child: false, other: false, parent: false },
  head: { own: true, child: false, other: false, parent: false },
  chair: { own: true, child: true, other: false, parent: false },
};

describe('the permission matrix: role × own / child / other / parent unit × page', () => {
  it('200 or 403 with one sentence, and nothing of the unit', async () => {
    w = await startWeb();
    const pages: { name: string; path: (unit: string) => string; sees: typeof SEES_UNIT }[] = [
      { name: 'donvi', path: (u) => `/donvi/${u}`, sees: SEES_UNIT },
      { name: 'donvi.xlsx', path: (u) => `/donvi/${u}?xlsx=nhiemvu`, sees: SEES_UNIT },
      { name: 'nhiemvu', path: (u) => `/nhiemvu/T-${u}-1`, sees: SEES_UNIT },
      { name: 'nhiemvu.xlsx', path: (u) => `/nhiemvu/T-${u}-1?xlsx=lichsu`, sees: SEES_UNIT },
      { name: 'camket', path: (u) => `/camket/${u}`, sees: SEES_COMMITMENT },
    ];
    const got: string[] = [];
    const want: string[] = [];
    for (const role of Object.keys(ACTOR) as Role[]) {
      const b = await w.signIn(ACTOR[role]);
      for (const scope of SCOPES) {
        const unit = SCOPE_UNIT[role][scope];
        for (const p of pages) {
          const res = await b.get(p.path(unit));
          got.push(`${role} ${scope} ${p.name} ${res.status}`);
          want.push(`${role} ${scope} ${p.name} ${p.sees[role][scope] ? 200 : 403}`);
          const body = await res.text();
          if (res.status === 403) {
            expect(body).toMatch(/không thuộc/);
            expect(body).not.toContain(`Nhiệm vụ thử 1 của ${unit}`);
          }
        }
      }
    }
    expect(got).toEqual(want);
  });

  it('/camket: the scorecard for chairs; everyone else goes to the own unit\'s targets; /dinhky for all; signed out → 401', async () => {
    w = await startWeb();
    for (const role of Object.keys(ACTOR) as Role[]) {
      const b = await w.signIn(ACTOR[role]);
      const res = await b.get('/camket');
      if (role === 'chair') expect(res.status).toBe(200);
      else {
        expect(res.status).toBe(303);
        expect(res.headers.get('location')).toBe(`/camket/${SCOPE_UNIT[role].own}?nam=2026`);
      }
      expect((await b.get('/dinhky')).status).toBe(200);
    }
    for (const path of ['/', '/donvi/XA-AN', '/nhiemvu/T-XA-AN-1', '/camket', '/dinhky']) expect((await w.browser().get(path)).status).toBe(401);
  });
});

describe('/camket and /dinhky: the numbers of /camket tongket and `nhacviec report …`', () => {
  it('the scorecard equals scorecard() for the chair\'s subtree; the download matches', async () => {
    w = await startWeb();
    const b = await w.signIn('CT-TINH');
    const { status, page } = await open(b, '/camket');
    expect(status).toBe(200);
    const tinh = (await unitByCode(w.db, 'TINH'))!;
    const card = await scorecard(w.db, { year: 2026, asOf: Math.min(NOW, yearEnd(2026, ZONE)), zone: ZONE, underPath: tinh.path });
    const n = card.units.length;
    const expected = card.units.map((u) => [`${u.rank}/${n}`, u.code, u.name, String(u.met), String(u.missed), String(u.noData), u.score === null ? 'chưa có chỉ tiêu' : viNumber(u.score, 1)]);
    expect(n).toBeGreaterThan(3);
    expect(cells(page, 'xephang')).toEqual(expected);
    expect(page).toMatch(/<svg[\s\S]*<\/svg>/);
    const sheet = await xlsxRows(await b.get('/camket?xlsx=xephang'));
    expect(sheet.slice(1)).toEqual(card.units.map((u) => [`${u.rank}/${n}`, u.code, u.name, u.met, u.missed, u.noData, u.score === null ? 'chưa có chỉ tiêu' : viNumber(u.score, 1)]));
    // A district chair ranks the own subtree only.
    const district = cells((await open(await w.signIn('CT-HDONG'), '/camket')).page, 'xephang').map((r) => r[1]);
    expect(district.sort()).toEqual(['H-DONG', 'XA-DONG']);
  });

  it('a unit\'s targets with their status; a year without a commitment says so; a bad year → 400', async () => {
    w = await startWeb();
    const b = await w.signIn('CT-HDONG');
    const { status, page } = await open(b, '/camket/XA-DONG');
    expect(status).toBe(200);
    expect(cells(page, 'chitieu')).toEqual([['CT-XA-DONG', 'Tỷ lệ hồ sơ giải quyết đúng hạn', '≥ 95%', '', '', '31/12/2026', 'Chưa có số liệu']]);
    const old = await open(b, '/camket/XA-DONG?nam=2024');
    expect(old.status).toBe(200);
    expect(old.page).toContain('UBND xã Đông Hải chưa có cam kết năm 2024.');
    const bad = await open(b, '/camket/XA-DONG?nam=20');
    expect(bad.status).toBe(400);
    expect(bad.page).toContain('Năm &quot;20&quot; không hợp lệ.');
    expect((await open(b, '/camket/KHONG-CO')).status).toBe(404);
  });

  it('the recurring table equals recurringReport() (all of it for a province chair, the own unit for an officer)', async () => {
    w = await startWeb();
    const rep = await recurringReport(w.db, 2026, NOW, ZONE);
    const rowOf = (r: { unitName: string; ruleCode: string; title: string; active: boolean } & StatusCounts) => [r.unitName, r.ruleCode, r.title, r.active ? 'Còn' : 'Đã dừng', ...countsCells(r)];
    const chair = (await open(await w.signIn('CT-TINH'), '/dinhky')).page;
    const expected = rep.rows.length ? [...rep.rows.map(rowOf), ['Tổng', '', '', '', ...countsCells(rep.totals)]] : [];
    expect(cells(chair, 'dinhky')).toEqual(expected);
    const officer = (await open(await w.signIn('CB-XA-AN'), '/dinhky')).page;
    expect(cells(officer, 'dinhky').filter((r) => r[0] !== 'Tổng').map((r) => r[1])).toEqual(rep.rows.filter((r) => r.unitCode === 'XA-AN').map((r) => r.ruleCode));
    const sheet = await xlsxRows(await (await w.signIn('CT-TINH')).get('/dinhky?xlsx=dinhky'));
    expect(sheet.length).toBe(expected.length + 1);
  });
});

describe('.xlsx downloads match the tables', () => {
  it('the overview\'s tables open with exceljs and hold the page\'s cells', async () => {
    w = await startWeb();
    await moreTasks(w);
    const b = await w.signIn('CT-HDONG');
    const { page } = await open(b, '/?ky=quy%204');
    for (const key of ['soluong', 'quahan', 'sapden', 'theothang', 'donvi']) {
      const sheet = await xlsxRows(await b.get(`/?ky=quy%204&xlsx=${key}`));
      expect([key, sheet.slice(1).map((r) => r.map(String))]).toEqual([key, cells(page, key)]);
    }
    expect((await b.get('/?xlsx=khong')).status).toBe(400);
  });
});
