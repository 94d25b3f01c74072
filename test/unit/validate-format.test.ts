// The three output formats of `validate`: text for people, GitHub workflow commands, and JSON.
// Pure rendering: fixed diagnostics in, exact strings out (including GitHub's escaping rules).
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/model/types.js';
import { formatDiagnostics, summaryLine } from '../../src/validate/format.js';

const diagnostics: Diagnostic[] = [
  {
    severity: 'error',
    rule: 'url-https',
    message: 'callback "http://portal.example.com/cb" must use https outside environments that allow localhost',
    at: { file: 'tenant/applications/partner-portal.yaml', line: 7, column: 5 },
  },
  { severity: 'error', rule: 'unknown-field', message: 'unknown field "callback"', at: { file: 'tenant/applications/a,b:c.yaml', line: 3, column: 1 }, hint: 'did you mean "callbacks"?' },
  { severity: 'warning', rule: 'm2m-callbacks', message: '100% unused\nsecond line', at: { file: 'tenant/applications/job.yaml', line: 4, column: 1 } },
];

describe('validate output formats', () => {
  it('text: one line per finding with file:line:col, severity and rule id, hints indented, then a summary', () => {
    expect(formatDiagnostics('text', diagnostics, 9)).toBe(
      [
        'tenant/applications/partner-portal.yaml:7:5: error [url-https] callback "http://portal.example.com/cb" must use https outside environments that allow localhost',
        'tenant/applications/a,b:c.yaml:3:1: error [unknown-field] unknown field "callback"',
        '  hint: did you mean "callbacks"?',
        'tenant/applications/job.yaml:4:1: warning [m2m-callbacks] 100% unused\nsecond line',
        '2 errors, 1 warning in 9 files',
        '',
      ].join('\n'),
    );
  });

  it('text: a clean run says so', () => {
    expect(formatDiagnostics('text', [], 1)).toBe('No problems found in 1 file.\n');
    expect(summaryLine([diagnostics[0]!], 2)).toBe('1 error, 0 warnings in 2 files');
  });

  it('github: workflow commands with escaped data and properties', () => {
    expect(formatDiagnostics('github', diagnostics, 9).split('\n')).toEqual([
      '::error file=tenant/applications/partner-portal.yaml,line=7,col=5,title=url-https::callback "http://portal.example.com/cb" must use https outside environments that allow localhost',
      '::error file=tenant/applications/a%2Cb%3Ac.yaml,line=3,col=1,title=unknown-field::unknown field "callback"%0Ahint: did you mean "callbacks"?',
      '::warning file=tenant/applications/job.yaml,line=4,col=1,title=m2m-callbacks::100%25 unused%0Asecond line',
      '',
    ]);
  });

  it('json: format_version, counts, and each diagnostic as {severity, rule, message, file, line, column, hint?}', () => {
    const document = JSON.parse(formatDiagnostics('json', diagnostics, 9)) as { format_version: number; summary: unknown; diagnostics: unknown[] };
    expect(document.format_version).toBe(1);
    expect(document.summary).toEqual({ errors: diagnostics.filter((d) => d.severity === 'error').length, warnings: diagnostics.filter((d) => d.severity === 'warning').length, files: 9 });
    const parsed = document.diagnostics;
    expect(parsed[0]).toEqual({
      severity: 'error',
      rule: 'url-https',
      message: 'callback "http://portal.example.com/cb" must use https outside environments that allow localhost',
      file: 'tenant/applications/partner-portal.yaml',
      line: 7,
      column: 5,
    });
    expect(parsed[1]).toMatchObject({ rule: 'unknown-field', hint: 'did you mean "callbacks"?' });
    expect(JSON.parse(formatDiagnostics('json', [], 3))).toEqual({ format_version: 1, summary: { errors: 0, warnings: 0, files: 3 }, diagnostics: [] });
  });
});
