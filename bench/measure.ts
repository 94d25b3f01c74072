// Runs one command as a child process with a time cap and reports its exit, wall time and peak memory.
// Peak memory comes from /usr/bin/time -v when the command ends on its own, else from sampling /proc VmHWM.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

export interface CommandResult {
  exitCode: number | null;
  /** True when the command was stopped because it ran past its cap. */
  capped: boolean;
  wallSeconds: number;
  peakMemoryMb: number | undefined;
  /** User plus system CPU time of the command (from /usr/bin/time), when it ended on its own. */
  cpuSeconds?: number;
}

export interface CommandSpec {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  capSeconds: number;
  stdoutPath: string;
  stderrPath: string;
}

const TIME_BINARY = '/usr/bin/time';

function readPeakKb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(status);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/** The process ids below `pid`, depth first (the wrapper's child is the command itself). */
function descendants(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return children.flatMap((child) => [child, ...descendants(child)]);
  } catch {
    return [];
  }
}

function cpuFromTimeReport(path: string): number | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const user = /User time \(seconds\): ([\d.]+)/.exec(text)?.[1];
  const system = /System time \(seconds\): ([\d.]+)/.exec(text)?.[1];
  return user === undefined || system === undefined ? undefined : Number(user) + Number(system);
}

function peakFromTimeReport(path: string): number | undefined {
  if (!existsSync(path)) return undefined;
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(path, 'utf8'));
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function runMeasured(spec: CommandSpec): Promise<CommandResult> {
  const useTime = existsSync(TIME_BINARY);
  const timeReport = `${spec.stderrPath}.time`;
  const [command, args] = useTime ? [TIME_BINARY, ['-v', '-o', timeReport, spec.command, ...spec.args]] : [spec.command, spec.args];
  const stdout = openSync(spec.stdoutPath, 'w');
  const stderr = openSync(spec.stderrPath, 'w');
  const started = performance.now();
  // Its own process group, so a capped run can be stopped with everything it started.
  const child = spawn(command, args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', stdout, stderr], detached: true });
  let sampledPeakKb = 0;
  let capped = false;
  const sample = (): void => {
    if (child.pid === undefined) return;
    for (const pid of [child.pid, ...descendants(child.pid)]) {
      const kb = readPeakKb(pid);
      if (kb !== undefined && pid !== child.pid) sampledPeakKb = Math.max(sampledPeakKb, kb);
      if (kb !== undefined && !useTime) sampledPeakKb = Math.max(sampledPeakKb, kb);
    }
  };
  const sampler = setInterval(sample, 250);
  const stop = (): void => {
    capped = true;
    sample();
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  // Timers may fire a little early (the event loop's clock is cached), and a stopped run's wall time must not fall
  // short of its cap: the benchmark reads "stopped at twice tenantctl's time" as at least twice.
  let cap: NodeJS.Timeout;
  const armCap = (): void => {
    const remainingMs = spec.capSeconds * 1000 - (performance.now() - started);
    if (remainingMs <= 0) stop();
    else cap = setTimeout(armCap, Math.ceil(remainingMs));
  };
  cap = setTimeout(armCap, spec.capSeconds * 1000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallSeconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      clearTimeout(cap);
      closeSync(stdout);
      closeSync(stderr);
      const reportedKb = useTime && !capped ? peakFromTimeReport(timeReport) : undefined;
      const peakKb = reportedKb ?? (sampledPeakKb > 0 ? sampledPeakKb : undefined);
      const cpuSeconds = useTime && !capped ? cpuFromTimeReport(timeReport) : undefined;
      resolve({
        exitCode: capped ? null : code,
        capped,
        wallSeconds,
        peakMemoryMb: peakKb === undefined ? undefined : peakKb / 1024,
        ...(cpuSeconds === undefined ? {} : { cpuSeconds }),
      });
    });
  });
}
