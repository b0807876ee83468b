// The report pages beside `/` (pages/home.ts): a unit, a task, commitments, recurring reports.
import type { WebApp, WebDeps } from '../types.ts';
import { registerCommitmentRoutes } from './commitments.ts';
import { registerRecurringRoutes } from './recurring.ts';
import { registerTaskRoutes } from './task.ts';
import { registerUnitRoutes } from './unit.ts';

export function registerReportPages(app: WebApp, deps: WebDeps): void {
  registerUnitRoutes(app, deps);
  registerTaskRoutes(app, deps);
  registerCommitmentRoutes(app, deps);
  registerRecurringRoutes(app, deps);
}
