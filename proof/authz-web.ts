// The web half of the proof's permission matrix: every role (and signed out) × own /
// child / other / parent unit × page and action of the dashboard, over HTTP against the
// real app on loopback (test/web/helpers.ts: the province of test/security/authz-fixture.ts).
// What each cell must answer comes from the chat's rules (src/app/auth.ts `refusal`, asked
// about the role's chat actor), never from the web's own checks:
//   a unit's page and a task's page: the chat's 'tasks' or 'status' on the unit; a task also
//   to the people of its co-ordinating units ('evidence' with the co-operators);
//   a unit's commitments: 'commitments'; the scorecard: 'scorecard' (else a redirect to one's own);
//   officers and invites: 'invite' (the officer's unit); group bindings: 'bindGroup';
//   what the chat has no command for (import, the outbox, deactivating an officer): admins only,
//   as the CLI is the office's.
// Allowed: 200 for a page, 303 for an action. Refused: 403 with one sentence and nothing
// changed; an allowed write must have written. Signed out: 401. A cell is a violation when any
// of that does not hold.
import { sql } from 'drizzle-orm';
import { refusal, resolveActor, type Action, type Principal, type UnitTarget } from '../src/app/auth.ts';
import { unitByCode } from '../src/db/units.repo.ts';
import { allBindingsWithSince, setOfficerActive } from '../src/db/admin.repo.ts';
import { officerByCode } from '../src/db/officers.repo.ts';
import { taskByCode } from '../src/db/tasks.repo.ts';
import { importRows } from '../src/app/import/import.service.ts';
import { bindGroup } from '../test/app/chat/helpers.ts';
import { ACTOR, SCOPE_UNIT, SCOPES, type Role, type Scope } from '../test/security/authz-fixture.ts';
import { startWeb, type Browser, type WebTarget } from '../test/web/helpers.ts';

export const WEB_ROLES: Role[] = ['officer', 'head', 'chair', 'admin'];

export interface WebCellResult {
  id: string;
  expect: number;
  /** Why the cell failed, or null. */
  problem: string | null;
}

/** The officer of each unit of the fixture (CB-<unit>). */
const officerOf = (unit: string) => `CB-${unit}`;
const UNITS = ['XA-AN', 'PB-AN', 'XA-SON', 'TINH', 'H-DONG', 'XA-DONG'];
/** The group chat bound to each unit. */
const chatOf = (unit: string) => `-770${UNITS.indexOf(unit) + 1}`;

type Want = 'allowed' | 'refused';

interface Cell {
  id: string;
  /** 'GET' pages answer 200 when allowed, 'POST' actions 303; `allowedStatus` overrides. */
  method: 'GET' | 'POST';
  want: Want;
  allowedStatus?: number;
  /** When allowed, the action must change the database (an invite, a deactivation, an unbinding, an import). */
  writes?: boolean;
  run(b: Browser): Promise<Response>;
  /** Puts back what an allowed action changed. */
  undo?(): Promise<void>;
}

async function target(t: WebTarget, code: string): Promise<UnitTarget> {
  const u = await unitByCode(t.db, code);
  if (!u) throw new Error(`no unit ${code}`);
  return { unitId: u.id, unitPath: u.path, label: u.name };
}

const ok = (p: Principal, action: Action, u?: UnitTarget): boolean => refusal(p, action, u) === null;
const want = (allowed: boolean): Want => (allowed ? 'allowed' : 'refused');

/** Everything the actions could change: a refusal must leave it as it was. */
async function state(t: WebTarget): Promise<string> {
  const q = async (s: ReturnType<typeof sql>) => JSON.stringify(await t.db.all(s));
  return [
    await q(sql`SELECT code, active FROM officers ORDER BY code`),
    await q(sql`SELECT count(*) AS n FROM invites`),
    await q(sql`SELECT channel, chat_id FROM group_bindings ORDER BY channel, chat_id`),
    await q(sql`SELECT count(*) AS n FROM units`),
    await q(sql`SELECT count(*) AS n FROM tasks`),
  ].join('|');
}

async function bindingId(t: WebTarget, unit: string): Promise<number> {
  return (await allBindingsWithSince(t.db)).find((b) => b.chatId === chatOf(unit))?.id ?? -1;
}

/** A dry run of a one-task file for a unit by the admin's session: the token its confirmation sends. */
async function uploadTask(admin: Browser, unit: string, n: number): Promise<string> {
  const form = new FormData();
  form.set('_csrf', await admin.csrf());
  form.set('loai', 'tasks');
  const csv = `code,title,unit,assigned_by,source_doc,assigned_at,deadline\nPW-${n},Nhiệm vụ kiểm chứng ${n},${unit},UBND tỉnh,Kế hoạch số 1/KH-UBND,20/11/2026,30/12/2026\n`;
  form.set('tep', new Blob([csv]), `pw-${n}.csv`);
  const page = await (await admin.get('/nhap', { method: 'POST', body: form })).text();
  const token = /name="phieu" value="([^"]+)"/.exec(page)?.[1];
  if (!token) throw new Error(`the dry run of a task for ${unit} gave no confirmation token`);
  return token;
}

async function unitsForm(b: Browser): Promise<FormData> {
  const form = new FormData();
  form.set('_csrf', await b.csrf());
  form.set('loai', 'units');
  form.set('tep', new Blob(['code,name,parent\nXA-PROOF,UBND xã Kiểm Chứng,TINH\n']), 'u.csv');
  return form;
}

/** The units co-ordinating every CO-<unit> task: the own units of the officer, head, admin (XA-AN) and chair (H-DONG). */
const COOPERATORS = ['XA-AN', 'H-DONG'];

/** A task CO-<unit> led by each unit, co-ordinated by COOPERATORS. */
async function addCoordinatedTasks(t: WebTarget): Promise<void> {
  const rows = UNITS.map((u) => ({ code: `CO-${u}`, title: `Nhiệm vụ phối hợp của ${u}`, unit: u, assigned_by: 'UBND tỉnh', source_doc: 'Kế hoạch số 2/KH-UBND', assigned_at: '20/11/2026', deadline: '30/12/2026' }));
  const r = await importRows(t.db, 'tasks', rows, { zone: 'Asia/Ho_Chi_Minh', now: t.clock.now() });
  if (!r.ok) throw new Error(`the co-ordinated tasks did not import: ${JSON.stringify(r.errors)}`);
  for (const u of UNITS) {
    const task = await taskByCode(t.db, `CO-${u}`);
    for (const c of COOPERATORS) await t.db.orm.insert(t.db.t.taskCooperators).values({ taskId: task!.id, unitId: (await target(t, c)).unitId });
  }
}

/** The cells of one role: the pages without a unit, then every scope's unit. */
async function roleCells(t: WebTarget, role: Role, p: Principal, admin: Browser, seq: { n: number }): Promise<Cell[]> {
  const isAdmin = p.role === 'admin';
  const cells: Cell[] = [
    { id: `${role} GET /`, method: 'GET', want: 'allowed', run: (b) => b.get('/') },
    { id: `${role} GET /camket`, method: 'GET', want: 'allowed', allowedStatus: ok(p, 'scorecard') ? 200 : 303, run: (b) => b.get('/camket') },
    { id: `${role} GET /dinhky`, method: 'GET', want: 'allowed', run: (b) => b.get('/dinhky') },
    { id: `${role} GET /nhap`, method: 'GET', want: want(isAdmin), run: (b) => b.get('/nhap') },
    { id: `${role} GET /hangdoi`, method: 'GET', want: want(isAdmin), run: (b) => b.get('/hangdoi') },
    { id: `${role} GET /canbo`, method: 'GET', want: want(ok(p, 'invite')), run: (b) => b.get('/canbo') },
    { id: `${role} GET /nhom`, method: 'GET', want: want(ok(p, 'bindGroup')), run: (b) => b.get('/nhom') },
    // The dry run answers its page (200), it writes nothing.
    { id: `${role} POST /nhap (dry run)`, method: 'POST', want: want(isAdmin), allowedStatus: 200, run: async (b) => b.get('/nhap', { method: 'POST', body: await unitsForm(b) }) },
  ];
  const coopIds = await Promise.all(COOPERATORS.map(async (c) => (await target(t, c)).unitId));
  for (const scope of SCOPES) {
    const unit = SCOPE_UNIT[role][scope as Scope];
    const u = await target(t, unit);
    const officer = officerOf(unit);
    const seesUnit = ok(p, 'tasks', u) || ok(p, 'status', u);
    const at = `${role} ${scope} (${unit})`;
    const reactivate = async () => void (await setOfficerActive(t.db, (await officerByCode(t.db, officer))!.id, true));
    cells.push(
      { id: `${at} GET /donvi`, method: 'GET', want: want(seesUnit), run: (b) => b.get(`/donvi/${unit}`) },
      { id: `${at} GET /nhiemvu`, method: 'GET', want: want(seesUnit), run: (b) => b.get(`/nhiemvu/T-${unit}-1`) },
      { id: `${at} GET /nhiemvu (co-ordinated by ${COOPERATORS.join(', ')})`, method: 'GET', want: want(seesUnit || ok(p, 'evidence', { ...u, cooperatingUnitIds: coopIds })), run: (b) => b.get(`/nhiemvu/CO-${unit}`) },
      { id: `${at} GET /camket/<mã>`, method: 'GET', want: want(ok(p, 'commitments', u)), run: (b) => b.get(`/camket/${unit}`) },
      { id: `${at} GET /canbo/<mã>`, method: 'GET', want: want(ok(p, 'invite', u)), run: (b) => b.get(`/canbo/${officer}`) },
      { id: `${at} GET /canbo/<mã>/ngung`, method: 'GET', want: want(isAdmin && ok(p, 'invite', u)), run: (b) => b.get(`/canbo/${officer}/ngung`) },
      { id: `${at} POST invite`, method: 'POST', want: want(ok(p, 'invite', u)), writes: true, run: (b) => b.post(`/canbo/${officer}/moi`) },
      { id: `${at} POST deactivate`, method: 'POST', want: want(isAdmin), writes: true, run: (b) => b.post(`/canbo/${officer}/ngung`), undo: reactivate },
      { id: `${at} POST reactivate`, method: 'POST', want: want(isAdmin), run: (b) => b.post(`/canbo/${officer}/molai`) },
      {
        id: `${at} POST unbind`,
        method: 'POST',
        want: want(ok(p, 'bindGroup', u)),
        writes: true,
        run: async (b) => b.post(`/nhom/${await bindingId(t, unit)}/go`),
        undo: async () => {
          if ((await bindingId(t, unit)) === -1) await bindGroup(t.db, { channel: 'telegram', chatId: chatOf(unit), unitCode: unit });
        },
      },
      {
        id: `${at} POST import confirm`,
        method: 'POST',
        want: want(isAdmin),
        writes: true,
        run: async (b) => b.post('/nhap/xacnhan', { phieu: await uploadTask(admin, unit, ++seq.n) }),
      },
    );
  }
  return cells;
}

function isOneSentencePage(page: string): boolean {
  return /<p class="msg">[^<]+<\/p>/.test(page) && !/\bat \S+\.ts:\d+/.test(page);
}

/** Runs every web cell against one province (actions are undone after they are allowed). */
export async function runWebMatrix(): Promise<WebCellResult[]> {
  const t = await startWeb();
  const results: WebCellResult[] = [];
  try {
    for (const unit of UNITS) await bindGroup(t.db, { channel: 'telegram', chatId: chatOf(unit), unitCode: unit });
    await addCoordinatedTasks(t);
    const admin = await t.signIn(ACTOR.admin);
    const seq = { n: 0 };

    // Signed out: every page and action (the admin's cells, each scope) asks to sign in (401) and changes nothing.
    // Without a session there is no form token either: a forged one goes in its place.
    const nobody = t.browser();
    const forged = 'F'.repeat(43);
    const anon: Browser = { cookie: '', get: nobody.get, csrf: async () => forged, post: (path, fields) => nobody.post(path, fields, { csrf: forged }) };
    const adminActor = await resolveActor(t.db, 'telegram', t.world.user.admin);
    if (!adminActor) throw new Error('the admin is not linked');
    for (const c of await roleCells(t, 'admin', adminActor, admin, seq)) {
      const before = await state(t);
      let problem: string | null = null;
      try {
        const res = await c.run(anon);
        const page = await res.text();
        if (res.status !== 401) problem = `status ${res.status}`;
        else if (!isOneSentencePage(page)) problem = 'the refusal is not one sentence';
        else if ((await state(t)) !== before) problem = 'a refusal changed the database';
      } catch (e) {
        problem = `threw ${(e as Error)?.message}`;
      }
      results.push({ id: `signed out: ${c.id.replace(/^admin /, '')}`, expect: 401, problem });
    }

    for (const role of WEB_ROLES) {
      const p = await resolveActor(t.db, 'telegram', t.world.user[role]);
      if (!p) throw new Error(`the ${role} is not linked`);
      // The admin's confirmations send the tokens of the uploads made in the same session.
      const b = role === 'admin' ? admin : await t.signIn(ACTOR[role]);
      for (const c of await roleCells(t, role, p, admin, seq)) {
        const expect = c.want === 'refused' ? 403 : (c.allowedStatus ?? (c.method === 'GET' ? 200 : 303));
        const before = await state(t);
        let problem: string | null = null;
        try {
          const res = await c.run(b);
          const page = await res.text();
          if (res.status !== expect) problem = `status ${res.status}`;
          else if (expect === 403 && !isOneSentencePage(page)) problem = 'the refusal is not one sentence';
          else if (expect === 403 && (await state(t)) !== before) problem = 'a refusal changed the database';
          else if (expect !== 403 && c.writes && (await state(t)) === before) problem = 'allowed, but nothing was written';
          if (res.status < 400) await c.undo?.();
        } catch (e) {
          problem = `threw ${(e as Error)?.message}`;
        }
        results.push({ id: c.id, expect, problem });
      }
    }
  } finally {
    await t.stop();
  }
  return results;
}
