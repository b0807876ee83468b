// Proof suite "authz": the permission matrix of test/security/ — every command ×
// role (and unlinked) × own / child / other / parent unit, forged buttons, another
// unit's task code, a group bound to another unit, deactivated officers. Each case
// runs against a fresh province; a violation is a case whose outcome differs from
// the table (allowed but refused, refused but allowed, a refusal that wrote or sent
// anything, or a refusal that is not one polite Vietnamese sentence).
import { authzCases, runCase } from '../../test/security/authz-matrix.ts';

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
  return { authzCases: authzCases_, authzViolations };
}
