#!/usr/bin/env node
// Sorts the mismatches of a scorer report (replay.mjs --json) into the groups docs/EMULATOR.md counts, so the
// ceiling it states (what an emulator answering from the request alone can reach) is recomputed, not remembered.
//
// Usage: node test/conformance/ceiling.mjs REPORT.json
import { readFileSync } from 'node:fs';

// Why no rule can win a row, by the reasons the scorer gave for it. A row falls in a group only when every one of
// its reasons does; the first group that claims it wins.
const GROUPS = [
  {
    name: 'key ids',
    // Auth0 derives a credential's kid from the original key; the scorer sends a key pair it made at run time.
    row: (row) => row.reasons.some((r) => /client_authentication_methods/.test(r.key) || /"kid"/.test(r.expected ?? '')),
  },
  {
    name: 'CIMD',
    // Client ID metadata documents are fetched from the internet; later steps need the client that would have made.
    row: (row) => /\/cimd\//.test(row.path) || row.reasons.some((r) => /prerequisite failed/.test(r.key)),
  },
  {
    name: 'dated fields',
    // Fields Auth0 added or dropped between recordings of identical requests (docs/EMULATOR.md, "Rules").
    row: (row) =>
      row.reasons.every((r) =>
        /"(subject_type_authorization|authentication|connected_accounts|enabled_clients|provisioning_ticket_url|display_name)"/.test(r.key),
      ),
  },
];

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node test/conformance/ceiling.mjs REPORT.json (written by replay.mjs --json)\n');
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const names = [...GROUPS.map((g) => g.name), 'other'];
const families = Object.keys(report.families);
const counts = Object.fromEntries(families.map((f) => [f, Object.fromEntries(names.map((n) => [n, 0]))]));
for (const row of report.rows.filter((r) => r.outcome === 'mismatched')) {
  const group = GROUPS.find((g) => g.row(row))?.name ?? 'other';
  counts[row.family][group] += 1;
}

const pct = (n, d) => `${((100 * n) / d).toFixed(1)}%`;
const lines = [`| family | replayed | reproduced | ${names.join(' | ')} | ceiling |`, `|${' --- |'.repeat(names.length + 4)}`];
const total = Object.fromEntries(['replayed', 'matched', ...names].map((k) => [k, 0]));
for (const family of families) {
  const { replayed, matched } = report.families[family];
  const ceiling = matched + counts[family].other;
  lines.push(`| ${family} | ${replayed} | ${matched} | ${names.map((n) => counts[family][n]).join(' | ')} | ${ceiling} (${pct(ceiling, replayed)}) |`);
  total.replayed += replayed;
  total.matched += matched;
  for (const n of names) total[n] += counts[family][n];
}
const ceiling = total.matched + total.other;
lines.push(`| all | ${total.replayed} | ${total.matched} | ${names.map((n) => total[n]).join(' | ')} | ${ceiling} (${pct(ceiling, total.replayed)}) |`);
process.stdout.write(`${lines.join('\n')}\n`);
