// Proof suite "authz": the permission matrix of test/security/ — every command ×
// role (and unlinked) × own / child / other / parent unit, forged buttons, another
// unit's task code, a group bound to another unit, deactivated officers. Each case
// runs against a fresh province; a violation is a case whose outcome differs from
// the table (allowed but refused, refused but allowed, a refusal that wrote or sent
// anything, or a refusal that is not one polite Vietnamese sentence).
// Then the web cells (proof/authz-web.ts): role (and signed out) × own / child / other /
// parent unit × page and action of the dashboard, each status what the chat's rules say.
import { authzCases, runCase } from '../../test/security/authz-matrix.ts';
import { runWebMatrix } from '../authz-web.ts';

export async function run(): Promise<Record<string, number>> {
  let authzCases_ = 0;
  let authzViolations = 0;
  for (const c of authzCases()) {
    authzCases_++;
    let problem: string | null;
    try {
      problem = await runCase(c);
    } catch (e) {
      problem = `the case threw ${(e as Error)?.message}`;
    }
    if (problem) {
      authzViolations++;
      process.stderr.write(`authz ${c.id} (expected ${c.expect}): ${problem}\n`);
    }
  }
  const web = await runWebMatrix();
  const webViolations = web.filter((c) => c.problem !== null);
  for (const c of webViolations) process.stderr.write(`authz web ${c.id} (expected ${c.expect}): ${c.problem}\n`);
  return { authzCases: authzCases_, authzViolations, authzWebCells: web.length, authzWebViolations: webViolations.length };
}
