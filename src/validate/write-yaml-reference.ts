// `npm run docs:yaml`: rewrites the README's YAML reference section from the JSON Schemas.
// A build-time script, not part of the CLI; it touches only the text between the markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderYamlReference, replaceReferenceSection } from './yaml-reference.js';

const readmeUrl = new URL('../../README.md', import.meta.url);
const readme = readFileSync(readmeUrl, 'utf8');
const updated = replaceReferenceSection(readme, renderYamlReference());
if (updated !== readme) writeFileSync(readmeUrl, updated);
process.stdout.write(updated === readme ? 'README YAML reference is up to date\n' : 'README YAML reference updated\n');
