// Opening the database named by NHACVIEC_DB: a file path (SQLite), a postgres:// URL
// (a PostgreSQL server), or `pglite:` / `pglite:<folder>` (embedded PostgreSQL).
import type { Db, Engine } from './db.ts';
import { openPglite, openPostgres, type PgOptions } from './postgres.ts';
import { openSqlite } from './sqlite.ts';

export type { Db } from './db.ts';
export { MIGRATIONS_DIR, PG_MIGRATIONS_DIR } from './migrations.ts';

export interface OpenOptions extends PgOptions {
  /** Skip applying migrations (only for tests that check migrating itself). */
  migrate?: boolean;
}

export function engineOf(target: string): Engine {
  return /^postgres(ql)?:\/\//i.test(target) || /^pglite:/i.test(target) ? 'postgres' : 'sqlite';
}

export async function openDb(target: string, opts: OpenOptions = {}): Promise<Db> {
  if (/^pglite:/i.test(target)) return openPglite(target.slice('pglite:'.length) || undefined, opts);
  if (engineOf(target) === 'postgres') return openPostgres(target, opts);
  return openSqlite(target, opts);
}

/** The URL with its password replaced, for messages and logs. */
export function redactUrl(target: string): string {
  return target.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

function urlParts(target: string): { host: string; database: string; user: string } {
  try {
    const u = new URL(target);
    return { host: u.host || 'localhost', database: decodeURIComponent(u.pathname.slice(1)) || '(mặc định)', user: decodeURIComponent(u.username) || '(mặc định)' };
  } catch {
    return { host: '?', database: '?', user: '?' };
  }
}

/**
 * One Vietnamese sentence for a database that could not be opened: what to check.
 * Never the password, never a stack trace. undefined when the error is not about opening.
 */
export function describeOpenError(e: unknown, target: string): string | undefined {
  if (engineOf(target) !== 'postgres' || /^pglite:/i.test(target)) {
    const code = (e as { code?: string })?.code ?? '';
    if (code === 'SQLITE_CANTOPEN') return `Không mở được tệp cơ sở dữ liệu ${target}: kiểm tra đường dẫn và quyền ghi thư mục (NHACVIEC_DB).`;
    if (code === 'SQLITE_NOTADB') return `Tệp ${target} không phải cơ sở dữ liệu SQLite: kiểm tra NHACVIEC_DB.`;
    if (code === 'SQLITE_READONLY') return `Tệp ${target} chỉ đọc: cấp quyền ghi cho tài khoản chạy nhacviec.`;
    return undefined;
  }
  const { host, database, user } = urlParts(target);
  const err = e as { code?: string; message?: string };
  const code = err?.code ?? '';
  if (e instanceof TypeError || code === 'ERR_INVALID_URL' || /invalid url/i.test(err?.message ?? ''))
    return 'NHACVIEC_DB không phải địa chỉ PostgreSQL hợp lệ: dạng đúng là postgres://người_dùng:mật_khẩu@máy_chủ:5432/tên_csdl.';
  if (code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || /timeout/i.test(err?.message ?? ''))
    return `Không kết nối được máy chủ PostgreSQL ${host}: kiểm tra máy chủ đang chạy, địa chỉ và cổng trong NHACVIEC_DB.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `Không tìm thấy máy chủ ${host}: kiểm tra tên máy trong NHACVIEC_DB.`;
  if (code === '3D000') return `Cơ sở dữ liệu ${database} chưa có trên máy chủ ${host}: tạo nó (createdb ${database}) hoặc sửa tên trong NHACVIEC_DB.`;
  if (code === '28P01' || code === '28000') return `Máy chủ ${host} từ chối người dùng ${user}: kiểm tra tên người dùng và mật khẩu trong NHACVIEC_DB.`;
  if (code === '42501') return `Người dùng ${user} không đủ quyền trên cơ sở dữ liệu ${database}: cấp quyền tạo bảng (GRANT ALL ON SCHEMA public TO ${user}).`;
  if (code === '57P03') return `Máy chủ PostgreSQL ${host} đang khởi động hoặc tắt: thử lại sau ít phút.`;
  if (/^(08|53|57)/.test(code)) return `Máy chủ PostgreSQL ${host} không nhận kết nối (${code}): kiểm tra máy chủ và số kết nối cho phép.`;
  return undefined;
}
