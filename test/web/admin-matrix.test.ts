// The admin pages' permission matrix over HTTP: officer, head, chair, admin × every page
// and action → the status, and a refused action changes nothing. Chairs may what the
// chat's 'invite' and 'bindGroup' rules give them (within the own subtree).
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { bindGroup } from '../app/chat/helpers.ts';
import { allBindingsWithSince, setOfficerActive } from '../../src/db/admin.repo.ts';
import { officerByCode } from '../../src/db/officers.repo.ts';
import { ACTOR, type Role } from '../security/authz-fixture.ts';
import { startWeb, type Browser, type WebTarget } from './helpers.ts';

let w: WebTarget;
afterEach(async () => {
  await w?.stop();
});

const ROLES: Role[] = ['officer', 'head', 'chair', 'admin'];
type Expect = Record<Role, number>;
const only = (admin: number, chair = 403): Expect => ({ officer: 403, head: 403, chair, admin });

/** Every page (GET) and what each role gets. CB-XA-DONG is in the chair's subtree, CB-XA-AN is not. */
const PAGES: [string, Expect][] = [
  ['/nhap', only(200)],
  ['/hangdoi', only(200)],
  ['/canbo', only(200, 200)],
  ['/canbo/CB-XA-DONG', only(200, 200)],
  ['/canbo/CB-XA-AN', only(200)],
  ['/canbo/CB-XA-DONG/ngung', only(200)],
  ['/nhom', only(200, 200)],
];

/** A snapshot of everything the actions could change. */
async function state(t: WebTarget): Promise<string> {
  const q = async (s: ReturnType<typeof sql>) => JSON.stringify(await t.db.all(s));
  return [
    await q(sql`SELECT code, active FROM officers ORDER BY code`),
    await q(sql`SELECT count(*) AS n FROM invites`),
    await q(sql`SELECT channel, chat_id FROM group_bindings ORDER BY channel, chat_id`),
    await q(sql`SELECT count(*) AS n FROM units`),
  ].join('|');
}

async function uploadUnits(b: Browser): Promise<Response> {
  const form = new FormData();
  form.set('_csrf', await b.csrf());
  form.set('loai', 'units');
  form.set('tep', new Blob(['code,name,parent\nXA-MATRIX,UBND xã Ma Trận,TINH']), 'u.csv');
  return b.get('/nhap', { method: 'POST', body: form });
}

describe('admin pages: the permission matrix', () => {
  it('pages: role × page → 200 / 403 (one sentence); signed out → 401', async () => {
    w = await startWeb();
    const anon = w.browser();
    for (const [path] of PAGES) expect([path, (await anon.get(path)).status]).toEqual([path, 401]);
    for (const role of ROLES) {
      const b = await w.signIn(ACTOR[role]);
      for (const [path, want] of PAGES) {
        const res = await b.get(path);
        const page = await res.text();
        expect([role, path, res.status]).toEqual([role, path, want[role]]);
        if (res.status === 403) expect(page).toContain('<p class="msg">');
      }
      // The navigation offers exactly the pages the role may open.
      const home = await (await b.get('/')).text();
      for (const [path, want] of PAGES.filter(([p]) => !p.slice(1).includes('/'))) {
        expect([role, path, home.includes(`<a href="${path}">`)]).toEqual([role, path, want[role] === 200]);
      }
    }
  });

  it('actions: role × action → allowed (303) or 403, and a refusal changes nothing', async () => {
    w = await startWeb();
    await bindGroup(w.db, { channel: 'telegram', chatId: '-1001', unitCode: 'XA-DONG' });
    await bindGroup(w.db, { channel: 'telegram', chatId: '-1002', unitCode: 'XA-AN' });
    await bindGroup(w.db, { channel: 'telegram', chatId: '-1003', leadership: true });
    const bindingId = async (chatId: string) => (await allBindingsWithSince(w.db)).find((b) => b.chatId === chatId)?.id ?? -1;
    const rebind = async (chatId: string, unitCode?: string) => {
      if ((await bindingId(chatId)) === -1) await bindGroup(w.db, { channel: 'telegram', chatId, ...(unitCode ? { unitCode } : { leadership: true }) });
    };

    type Action = { name: string; run(b: Browser): Promise<Response>; want: Expect; undo(): Promise<void> };
    const actions: Action[] = [
      { name: 'upload (dry run)', run: uploadUnits, want: only(200), undo: async () => {} },
      { name: 'confirm a forged token', run: (b) => b.post('/nhap/xacnhan', { phieu: 'B'.repeat(32) }), want: only(400), undo: async () => {} },
      { name: 'invite in the chair subtree', run: (b) => b.post('/canbo/CB-XA-DONG/moi'), want: only(303, 303), undo: async () => {} },
      { name: 'invite outside the chair subtree', run: (b) => b.post('/canbo/CB-XA-AN/moi'), want: only(303), undo: async () => {} },
      { name: 'deactivate', run: (b) => b.post('/canbo/CB-XA-DONG/ngung'), want: only(303), undo: async () => void (await setOfficerActive(w.db, (await officerByCode(w.db, 'CB-XA-DONG'))!.id, true)) },
      { name: 'reactivate', run: (b) => b.post('/canbo/CB-XA-DONG/molai'), want: only(303), undo: async () => {} },
      { name: 'unbind in the chair subtree', run: async (b) => b.post(`/nhom/${await bindingId('-1001')}/go`), want: only(303, 303), undo: () => rebind('-1001', 'XA-DONG') },
      { name: 'unbind outside the chair subtree', run: async (b) => b.post(`/nhom/${await bindingId('-1002')}/go`), want: only(303), undo: () => rebind('-1002', 'XA-AN') },
      { name: 'unbind the leadership group', run: async (b) => b.post(`/nhom/${await bindingId('-1003')}/go`), want: only(303), undo: () => rebind('-1003') },
    ];
    for (const role of ROLES) {
      const b = await w.signIn(ACTOR[role]);
      for (const a of actions) {
        const before = await state(w);
        const res = await a.run(b);
        expect([role, a.name, res.status]).toEqual([role, a.name, a.want[role]]);
        if (res.status === 403 || res.status === 400) expect(await state(w)).toBe(before);
        await a.undo();
      }
    }
  });
});
