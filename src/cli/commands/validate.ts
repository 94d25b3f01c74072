// `tenantctl validate`: checks the tenant YAML offline and prints every diagnostic at once.
// Exit 0 without errors (warnings allowed), 1 with any error, 2 when it cannot run.
import { Option, type Command } from 'commander';
import { formatDiagnostics, OUTPUT_FORMATS, type OutputFormat } from '../../validate/format.js';
import { hasErrors, validateTenantDirectory } from '../../validate/index.js';

export function register(program: Command): void {
  program
    .command('validate')
    .description('check the tenant YAML offline: syntax, schemas, references and URL policy')
    .option('--dir <path>', 'the tenant directory', 'tenant')
    .option('--env <name>', 'check only this environment (default: every environment)')
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS as string[]).default('text'))
    .action((options: { dir: string; env?: string; format: OutputFormat }) => {
      const result = validateTenantDirectory(options.dir, options.env === undefined ? {} : { env: options.env });
      process.stdout.write(formatDiagnostics(options.format, result.diagnostics, result.fileCount));
      process.exitCode = hasErrors(result.diagnostics) ? 1 : 0;
    });
}
