// Saved plans: serialize, parse with shape checks, refuse stale plans, and read/write files.
// apply uses readPlanFile + checkPlanIsCurrent; plan --out uses writePlanFile.
export * from './plan-file.js';
