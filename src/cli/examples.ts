// The examples that end every command's --help and its entry in the README's CLI reference:
// two or three real command lines per command, kept in one table so they read as a set.
import type { Command } from 'commander';

export interface Example {
  /** One line saying what it does. */
  why: string;
  /** The command line, starting with `tenantctl`. */
  run: string;
}

/** By command path as typed after `tenantctl` ('' is the program itself). */
export const EXAMPLES: Record<string, Example[]> = {
  '': [
    { why: 'Start managing a tenant in this repository', run: 'tenantctl init --env dev=dev-acme.us.auth0.com --env prod=acme.us.auth0.com' },
    { why: 'Check the files, then see what would change in dev', run: 'tenantctl validate && tenantctl plan --env dev' },
    { why: 'Try everything against a local emulator', run: 'tenantctl emulator --port 0 > .env.emulator' },
  ],
  init: [
    { why: 'Two environments, asked for nothing else', run: 'tenantctl init --env dev=dev-acme.us.auth0.com --env prod=acme.us.auth0.com' },
    { why: 'Bring an existing tenant under management (AUTH0_* set for it)', run: 'tenantctl init --env prod=acme.us.auth0.com --from-tenant' },
    { why: 'Write the starting point again over the files init wrote before', run: 'tenantctl init --env dev=dev-acme.us.auth0.com --force' },
  ],
  validate: [
    { why: 'Check every environment', run: 'tenantctl validate' },
    { why: 'Check prod only, as annotations on a pull request', run: 'tenantctl validate --env prod --format github' },
    { why: 'Feed the findings to another tool (schemas/validate-output.schema.json)', run: 'tenantctl validate --format json > findings.json' },
  ],
  plan: [
    { why: 'What would apply change in dev?', run: 'tenantctl plan --env dev' },
    { why: 'Save the plan for review and apply exactly it later', run: 'tenantctl plan --env prod --out prod.plan.json' },
    { why: 'In CI: the plan as JSON (schemas/plan-output.schema.json), exit 2 when there are changes', run: 'tenantctl plan --env dev --format json --detailed-exitcode > plan-output.json' },
  ],
  apply: [
    { why: 'Show the plan, ask for "yes", then apply it', run: 'tenantctl apply --env dev' },
    { why: 'Apply a reviewed plan file; refused if the tenant or the files changed since', run: 'tenantctl apply prod.plan.json' },
    { why: 'In CI, deletes included, with a report (schemas/apply-report.schema.json)', run: 'tenantctl apply --env prod --auto-approve --allow-delete --report report.json' },
  ],
  unlock: [
    { why: 'See who holds the lock of dev, and break it after answering "yes"', run: 'tenantctl unlock --env dev' },
    { why: 'In CI, break the lock only if its apply died and it has expired', run: 'tenantctl unlock --env prod --yes' },
  ],
  app: [
    { why: 'Declare a server-side web application', run: 'tenantctl app add "Acme Fleet" --type regular_web --callback https://fleet.acme.example/callback' },
    { why: 'Declare a machine-to-machine job that calls an API', run: 'tenantctl app add "Acme Sync" --type m2m --api https://api.acme.example/ --scopes read:vehicles' },
  ],
  'app add': [
    { why: 'A server-side web application and the connection its users log in with', run: 'tenantctl app add "Acme Fleet" --type regular_web --callback https://fleet.acme.example/callback --connection Username-Password-Authentication' },
    { why: 'A single-page app (no secret)', run: 'tenantctl app add "Acme Dashboard" --type spa --callback https://dash.acme.example/ --origin https://dash.acme.example' },
    { why: 'A machine-to-machine job granted scopes on an API', run: 'tenantctl app add "Acme Sync" --type m2m --api https://api.acme.example/ --scopes read:vehicles,write:vehicles' },
  ],
  credentials: [
    { why: "Hand a partner their app's .env (mode 0600, outside Git)", run: 'tenantctl credentials "Acme Fleet" --env prod --out ~/handover/acme-fleet.env' },
    { why: 'The createAuth0Client snippet for a single-page app (no secret)', run: 'tenantctl credentials "Acme Dashboard" --env prod --format spa --out -' },
  ],
  'check-login': [
    { why: "Would Auth0 accept the partner's redirect_uri?", run: 'tenantctl check-login "Acme Fleet" --env prod --callback https://fleet.acme.example/callback' },
    { why: 'Check a logout URL and a web origin at once', run: 'tenantctl check-login "Acme Dashboard" --logout https://dash.acme.example/ --origin https://dash.acme.example' },
  ],
  emulator: [
    { why: 'Start on a free port and load its settings into this shell', run: 'tenantctl emulator --port 0 > .env.emulator & sleep 1; set -a; . ./.env.emulator; set +a' },
    { why: 'Keep the tenant across restarts and behave like a free-plan tenant', run: 'tenantctl emulator --state emulator-state.json --rate-limit free' },
    { why: 'Answer 10% of requests with errors, repeatably', run: 'tenantctl emulator --port 0 --fault-rate 0.1 --fault-seed 42' },
  ],
  export: [
    { why: 'Write the tenant named by AUTH0_DOMAIN as tenant/ files', run: 'tenantctl export --env prod' },
    { why: 'From the emulator, naming the real domain it stands in for', run: 'tenantctl export --out tenant --env dev --domain dev-acme.us.auth0.com' },
  ],
};

export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

export function examplesFor(command: Command): Example[] {
  return EXAMPLES[commandPath(command)] ?? [];
}

export function renderExamples(examples: readonly Example[]): string {
  return examples.map((example) => `  # ${example.why}\n  $ ${example.run}`).join('\n');
}

/** Appends "Examples:" to the --help of the command and of every command under it. */
export function addExamples(command: Command): void {
  const examples = examplesFor(command);
  if (examples.length > 0) command.addHelpText('after', `\nExamples:\n${renderExamples(examples)}`);
  for (const child of command.commands) addExamples(child);
}
