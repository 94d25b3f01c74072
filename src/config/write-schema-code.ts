// `npm run schemas:code`: rewrites src/config/schema-validators.generated.ts from the JSON Schemas.
// A build-time script, not part of the CLI; run it after changing a schema (a test fails until then).
import { readFileSync, writeFileSync } from 'node:fs';
import { SCHEMA_CODE_FILE, schemaValidatorsCode } from './schema-code.js';

const code = schemaValidatorsCode();
let current = '';
try {
  current = readFileSync(SCHEMA_CODE_FILE, 'utf8');
} catch {
  // Not generated yet.
}
if (code !== current) writeFileSync(SCHEMA_CODE_FILE, code);
process.stdout.write(code === current ? 'schema validation code is up to date\n' : 'schema validation code updated\n');
