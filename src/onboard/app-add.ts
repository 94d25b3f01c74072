// `app add` behind the CLI: checks the new application against the tenant directory, writes its
// file, and takes the file back out when the validator finds errors it caused.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseEnvironment, readTenantSettings, type EnvironmentSettings } from '../config/environment.js';
import { isDirectory } from '../config/index.js';
import { KIND_FOLDERS, readTenantSource, TENANT_FILE } from '../config/source.js';
import { closestMatch } from '../did-you-mean.js';
import { UsageError } from '../errors.js';
import type { Diagnostic } from '../model/types.js';
import { validateTenantDirectory } from '../validate/index.js';
import { checkNewApplication, checkNewApplicationUrls, renderApplicationFile, slugify, type NewApplication } from './app-file.js';

export interface AddApplicationResult {
  /** The path written, as shown to the user; absent when nothing was kept. */
  file?: string;
  /** Errors that stopped the add (the file is not kept), or warnings about the kept file. */
  diagnostics: Diagnostic[];
  environments: string[];
  /** The environment to name in the next steps: the chosen one, the default, or the only one. */
  nextStepsEnvironment?: string;
}

export function addApplication(options: { dir: string; env?: string; app: NewApplication; schemaDir?: string }): AddApplicationResult {
  const { dir, app } = options;
  if (!isDirectory(dir)) throw new UsageError(`tenant directory "${dir}" does not exist`, 'pass the folder holding tenant.yaml with --dir');
  const flagProblems = checkNewApplication(app);
  if (flagProblems.length > 0) throw new UsageError(flagProblems.join('; '));

  const source = readTenantSource(dir);
  const settings = readTenantSettings(source);
  const environments = pickEnvironments(settings.environments, (requested) => chooseEnvironment(settings, requested), options.env);

  const relative = `${KIND_FOLDERS.application}/${slugify(app.name)}.yaml`;
  const file = join(dir, relative);
  const sameName = source.files.find((candidate) => candidate.kind === 'application' && nameOf(candidate.data) === app.name);
  if (sameName) {
    throw new UsageError(`an application named "${app.name}" is already declared in ${sameName.file}`, 'choose another name, or edit that file');
  }
  if (existsSync(file)) {
    throw new UsageError(`${file} already exists; it was left untouched`, 'choose another name, or edit that file');
  }

  const organizations = new Set(source.files.filter((candidate) => candidate.kind === 'organization').map((candidate) => nameOf(candidate.data)));
  for (const organization of app.organizations ?? []) {
    if (organizations.has(organization)) continue;
    const suggestion = closestMatch(organization, [...organizations].filter((name): name is string => name !== undefined));
    throw new UsageError(
      `organization "${organization}" is not declared in ${dir}/${KIND_FOLDERS.organization}/`,
      suggestion ? `did you mean "${suggestion}"?` : `declare it first, e.g. ${KIND_FOLDERS.organization}/${slugify(organization)}.yaml with name: ${organization}`,
    );
  }

  const urlDiagnostics = checkNewApplicationUrls(app, environments);
  if (urlDiagnostics.length > 0) return { diagnostics: urlDiagnostics, environments: environments.map((env) => env.name) };

  const validateOptions = options.env === undefined ? {} : { env: options.env };
  const before = new Set(validateTenantDirectory(dir, validateOptions).diagnostics.map(identity));
  mkdirSync(join(dir, KIND_FOLDERS.application), { recursive: true });
  writeFileSync(file, renderApplicationFile(app, options.schemaDir), { flag: 'wx' });
  // Only what the new file changed counts: errors already in the directory are not this command's to fix.
  const caused = validateTenantDirectory(dir, validateOptions).diagnostics.filter((diagnostic) => !before.has(identity(diagnostic)));
  if (caused.some((diagnostic) => diagnostic.severity === 'error')) {
    rmSync(file, { force: true });
    return { diagnostics: caused, environments: environments.map((env) => env.name) };
  }
  const nextStepsEnvironment = options.env ?? settings.defaultEnvironment ?? (environments.length === 1 ? environments[0]!.name : undefined);
  return { file, diagnostics: caused, environments: environments.map((env) => env.name), ...(nextStepsEnvironment ? { nextStepsEnvironment } : {}) };
}

function pickEnvironments(
  declared: Map<string, EnvironmentSettings>,
  choose: (requested: string) => { name?: string; diagnostic?: Diagnostic },
  requested: string | undefined,
): EnvironmentSettings[] {
  if (requested !== undefined) {
    const chosen = choose(requested);
    if (!chosen.name) throw new UsageError(chosen.diagnostic?.message ?? `environment "${requested}" is not declared`, chosen.diagnostic?.hint);
    return [declared.get(chosen.name)!];
  }
  if (declared.size === 0) {
    throw new UsageError(`no environment is declared in ${TENANT_FILE}`, 'declare at least one under environments:, then run `tenantctl validate`');
  }
  return [...declared.values()];
}

function nameOf(data: unknown): string | undefined {
  return data !== null && typeof data === 'object' && typeof (data as { name?: unknown }).name === 'string' ? (data as { name: string }).name : undefined;
}

function identity(diagnostic: Diagnostic): string {
  const at = diagnostic.at;
  return `${diagnostic.severity}|${diagnostic.rule}|${at ? `${at.file}:${at.line}` : ''}|${diagnostic.message}`;
}
