// Global setup of the reliability suite: gives the test files a directory for their figures, and once
// every file has run prints the figures as one table (the numbers bench/RESULTS.md reports).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface SectionFigures {
  section: string;
  figures: Record<string, number | string>;
}

export function summarize(dir: string): string {
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.json')).sort() : [];
  const sections = files.map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as SectionFigures);
  const lines = ['', 'Reliability suite figures', '', '| section | figure | value |', '|---|---|---|'];
  for (const { section, figures } of sections) {
    for (const [name, value] of Object.entries(figures)) lines.push(`| ${section} | ${name} | ${value} |`);
  }
  if (sections.length === 0) lines.push('| (none) | no test file recorded figures | - |');
  const notes = join(dir, 'notes.txt');
  if (existsSync(notes)) lines.push('', 'Notes:', ...readFileSync(notes, 'utf8').trimEnd().split('\n').map((line) => `- ${line}`));
  return `${lines.join('\n')}\n`;
}

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'tenantctl-reliability-figures-'));
  process.env.TENANTCTL_RELIABILITY_FIGURES = dir;
  return () => {
    process.stdout.write(summarize(dir));
    rmSync(dir, { recursive: true, force: true });
  };
}
