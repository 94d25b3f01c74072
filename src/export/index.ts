// `tenantctl export`: the live tenant as tenant/ YAML files, to bring an existing tenant under management.
// convert.ts decides the files (pure), read.ts reads the tenant, output-dir.ts writes, report.ts checks and words.
export { exportTenant, type ExportOptions, type ExportResult, type ExportedFile, type ExportNote } from './convert.js';
export { checkOutputDirectory, writeExportedFiles } from './output-dir.js';
export { readTenantForExport } from './read.js';
export { describeExport, validateExport } from './report.js';
