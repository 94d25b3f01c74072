// `npm run docs:cli`: rewrites the README's CLI reference section from the commands' own definitions.
// A build-time script, not part of the CLI; it touches only the text between the markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { buildProgram } from './program.js';
import { renderCliReference, replaceCliReference } from './reference.js';

const readmeUrl = new URL('../../README.md', import.meta.url);
const readme = readFileSync(readmeUrl, 'utf8');
const updated = replaceCliReference(readme, renderCliReference(await buildProgram()));
if (updated !== readme) writeFileSync(readmeUrl, updated);
process.stdout.write(updated === readme ? 'README CLI reference is up to date\n' : 'README CLI reference updated\n');
