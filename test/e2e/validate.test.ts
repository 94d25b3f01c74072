// `tenantctl validate` as users run it: the built CLI on the example tenant and on a broken copy.
// Spawns dist/cli/main.js, so `npm run build` must have run (npm test does it).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const broken = 'test/fixtures/validate/broken';

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, 'validate', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('tenantctl validate', () => {
  it.each(['dev', 'prod'])('passes on the example tenant with --env %s', (env) => {
    const result = run('--env', env);
    expect(result).toEqual({ status: 0, stdout: 'No problems found in 7 files.\n', stderr: '' });
  });

  it('reports every problem of a broken copy at once, at exact positions, and exits 1', () => {
    const result = run('--dir', broken, '--env', 'prod');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    const findings = result.stdout.split('\n').filter((line) => line.startsWith(broken));
    expect(findings.map((line) => line.replace(/\] .*/, ']'))).toEqual([
      `${broken}/applications/inventory-sync.yaml:9:9: error [unknown-scope]`,
      `${broken}/applications/partner-dashboard.yaml:7:5: error [url-origin-path]`,
      `${broken}/applications/partner-dashboard.yaml:8:29: error [spa-auth-method]`,
      `${broken}/applications/partner-portal.yaml:7:5: error [url-https]`,
      `${broken}/applications/partner-portal.yaml:10:5: error [undefined-variable]`,
      `${broken}/applications/partner-portal.yaml:14:1: error [unknown-field]`,
      `${broken}/applications/partner-portal.yaml:18:5: error [unknown-connection]`,
      `${broken}/connections/github.yaml:2:7: error [yaml-syntax]`,
    ]);
    expect(result.stdout).toContain(
      `${broken}/applications/partner-portal.yaml:7:5: error [url-https] callback "http://portal.example.com/cb" must use https outside environments that allow localhost\n`,
    );
    expect(result.stdout).toContain('  hint: did you mean "jwt_configuration"?\n');
    expect(result.stdout.endsWith('8 errors, 0 warnings in 8 files\n')).toBe(true);
  });

  it('checks every environment without --env and names the environment of a finding only some have', () => {
    const result = run('--dir', broken, '--format', 'json');
    expect(result.status).toBe(1);
    const findings = (JSON.parse(result.stdout) as { diagnostics: { rule: string; message: string; line: number }[] }).diagnostics;
    const origins = findings.filter((finding) => finding.rule === 'url-origin-path').map((finding) => finding.message);
    expect(origins).toEqual([
      'web origin "http://localhost:5173/" must be an origin (scheme://host[:port]) without a path, query or fragment (in environment dev)',
      'web origin "https://partner-dashboard.example.com/" must be an origin (scheme://host[:port]) without a path, query or fragment (in environment prod)',
    ]);
    expect(findings.filter((finding) => finding.rule === 'url-https')).toHaveLength(1);
  });

  it('writes GitHub annotations with --format github', () => {
    const result = run('--dir', broken, '--env', 'dev', '--format', 'github');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`::error file=${broken}/applications/partner-portal.yaml,line=14,col=1,title=unknown-field::unknown field "jwt_configuraton"%0Ahint: did you mean "jwt_configuration"?\n`);
  });

  it('exits 2 without a stack trace when it cannot run', () => {
    const results = [['--dir', 'no/such/dir'], ['--env', 'staging'], ['--format', 'xml']].map((args) => ({ args, ...run(...args) }));
    for (const result of results) {
      expect(result.status, result.args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect(results[0]!.stderr).toBe('error: tenant directory "no/such/dir" does not exist\nhint: pass the folder holding tenant.yaml with --dir\n');
    expect(results[1]!.stderr).toBe('error: environment "staging" is not declared in tenant.yaml\nhint: declared environments: dev, prod\n');
    expect(results[2]!.stderr).toMatch(/argument 'xml' is invalid/);
  });
});
