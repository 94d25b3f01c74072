// Measures the CPU tenantctl spends loading and validating the large tenant (bench/work/large/input, made by
// `npm run bench -- --size large`): `tenantctl validate` as a whole, and the config phase alone (loadValidConfig, as
// plan and apply run it) in a fresh process. CPU of all threads (process.cpuUsage), of the main thread
// (/proc/self/task/<pid>/stat) and the rest (V8's background threads: concurrent GC, optimising compiler); medians.
// Run by hand from the repository root (Linux):
//   npm run build && npx tsc -p bench/tsconfig.json && node bench/work/build/bench/config-cpu.js [runs]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const RUNS = Number(process.argv[2] ?? 9);
const TENANT = resolve('bench/work/large/input/tenantctl-base');
const CLI = resolve('dist/cli/main.js');

/** Printed on stderr at exit by every measured process: all threads, and the main thread alone, in seconds. */
const THREAD_CPU = `
import { readFileSync, writeSync } from 'node:fs';
globalThis.mainThreadCpu = () => {
  const stat = readFileSync('/proc/self/task/' + process.pid + '/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  writeSync(2, '\\ncpu ' + (user + system) / 1e6 + ' ' + globalThis.mainThreadCpu() + '\\n');
});`;

const CONFIG_PHASE = `
const { loadValidConfig } = await import(${JSON.stringify(pathToFileURL(resolve('dist/cli/session.js')).href)});
loadValidConfig({ dir: ${JSON.stringify(TENANT)}, env: 'bench' }, { write: () => true });`;

interface Cpu {
  total: number;
  main: number;
}

function measure(args: string[]): Cpu {
  const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(THREAD_CPU)}`, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const match = /\ncpu ([\d.]+) ([\d.]+)\n$/.exec(run.stderr);
  if (!match) throw new Error(`no CPU figures from ${args.join(' ')}: exit ${run.status}\n${run.stderr.slice(-2000)}`);
  return { total: Number(match[1]), main: Number(match[2]) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
}

function report(name: string, runs: Cpu[]): void {
  const total = median(runs.map((run) => run.total));
  const main = median(runs.map((run) => run.main));
  const background = median(runs.map((run) => run.total - run.main));
  console.log(`${name}: ${total.toFixed(2)} s CPU (main thread ${main.toFixed(2)} s, background threads ${background.toFixed(2)} s), median of ${runs.length}`);
}

if (!existsSync(TENANT)) throw new Error(`${TENANT} is missing: run \`npm run bench -- --size large\` once`);
if (!existsSync(CLI)) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
const validate: Cpu[] = [];
const configPhase: Cpu[] = [];
const startUp: Cpu[] = [];
for (let run = 0; run < RUNS; run++) {
  validate.push(measure([CLI, 'validate', '--dir', TENANT, '--env', 'bench']));
  configPhase.push(measure(['--input-type=module', '-e', CONFIG_PHASE]));
  startUp.push(measure([CLI, 'validate', '--dir', resolve('tenant')]));
}
report('validate, large tenant (process total)', validate);
report('config phase alone, large tenant (process total)', configPhase);
report('validate, example tenant (start-up)', startUp);
