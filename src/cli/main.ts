// The `nhacviec` command. Each subcommand lives in its own file and registers itself here.
import { Command, CommanderError, Help } from 'commander';
import { closeContext } from './context.ts';
import { reportError } from './errors.ts';
import { registerImport } from './import.ts';
import { registerMigrate } from './migrate.ts';
import { registerReport } from './report.ts';
import { registerCommitmentsReport } from './scorecard.ts';
import { registerRecurringReport } from './report-recurring.ts';
import { registerConsole } from './console.ts';
import { registerInvite } from './invite.ts';
import { registerGroups } from './groups.ts';
import { registerDemo } from './demo.ts';
import { registerTick } from './tick.ts';
import { registerOutbox } from './outbox.ts';
import { registerSummary } from './summary.ts';
import { registerStart } from './start.ts';
import { registerBackup } from './backup.ts';
import { registerWeb, registerWebLink } from './web.ts';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('nhacviec')
    .description('Nhắc việc: theo dõi nhiệm vụ được giao, cam kết và nhắc hạn qua Zalo, Telegram')
    .helpOption('-h, --help', 'Hiện hướng dẫn')
    .helpCommand('help [lệnh]', 'Hiện hướng dẫn của một lệnh')
    .version('0.1.0', '-V, --version', 'Hiện phiên bản')
    .configureOutput({
      outputError: (str, write) => write(translateCommanderError(str)),
    })
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureHelp(vietnameseHelp);
  registerMigrate(program);
  registerImport(program);
  const report = registerReport(program);
  registerCommitmentsReport(report);
  registerRecurringReport(report);
  registerConsole(program);
  registerInvite(program);
  registerGroups(program);
  registerDemo(program);
  registerTick(program);
  registerOutbox(program);
  registerSummary(program);
  registerStart(program);
  registerBackup(program);
  registerWeb(program);
  registerWebLink(program);
  localise(program.commands);
  return program;
}

/** Vietnamese help and errors for every subcommand, at any depth (e.g. `groups bind`). */
function localise(commands: readonly Command[]): void {
  for (const c of commands) {
    c.helpOption('-h, --help', 'Hiện hướng dẫn').exitOverride().configureHelp(vietnameseHelp).configureOutput({
      outputError: (str, write) => write(translateCommanderError(str)),
    });
    localise(c.commands);
  }
}

const vietnameseHelp = {
  formatHelp(cmd: Command, helper: Help): string {
    return Help.prototype.formatHelp
      .call(helper, cmd, helper)
      .replace(/^Usage:/m, 'Cách dùng:')
      .replace(/^Options:/m, 'Tùy chọn:')
      .replace(/^Commands:/m, 'Lệnh:')
      .replace(/^Arguments:/m, 'Tham số:')
      .replace(/\(default: /g, '(mặc định: ')
      .replace(/, default:(\s)/g, ', mặc định:$1')
      .replace(/\(choices: /g, '(chọn một: ')
      .replace(/\[options\]/g, '[tùy chọn]')
      .replace(/\[command\]/g, '[lệnh]');
  },
};

/** Commander writes its errors in English; officers read Vietnamese. */
export function translateCommanderError(s: string): string {
  return s
    .replace(/^error: unknown option '(.+)'/m, "Lỗi: không có tùy chọn '$1'. Gõ --help để xem các tùy chọn.")
    .replace(/^error: unknown command '(.+)'/m, "Lỗi: không có lệnh '$1'. Gõ nhacviec --help để xem các lệnh.")
    .replace(/^error: missing required argument '(.+)'/m, "Lỗi: thiếu tham số '$1'.")
    .replace(/^error: option '(.+)' argument missing/m, "Lỗi: tùy chọn '$1' cần một giá trị.")
    .replace(/^error: too many arguments.*/m, 'Lỗi: thừa tham số. Gõ --help để xem cách dùng.')
    .replace(/^error: option '(.+)' argument '(.+)' is invalid\.(.*)/m, "Lỗi: giá trị '$2' của tùy chọn '$1' không hợp lệ.$3")
    .replace(/^error: command-argument value '(.+)' is invalid for argument '(.+)'\./m, "Lỗi: giá trị '$1' của tham số '$2' không hợp lệ.")
    .replace(/\(Did you mean (.+)\?\)/, '(Có phải ý bạn là $1?)')
    .replace(/Allowed choices are (.+)\./, 'Các giá trị được chấp nhận: $1.');
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    return reportError(e);
  } finally {
    await closeContext().catch(() => {});
  }
}

const isEntry = process.argv[1] && /(?:nhacviec(?:\.mjs)?|main\.ts)$/.test(process.argv[1]);
if (isEntry) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
