/**
 * Command-line entry: `npm run cli -- <command>` (commander). Commands read the same settings as
 * the server (environment and `.env`); options override them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { SettingsError, loadSettings, type Settings } from './core/config.js';
import { AppError } from './core/errors.js';
import { Email, Password } from './api/schemas/auth.js';

if (existsSync('.env')) process.loadEnvFile('.env');

function settings(): Settings {
  try {
    return loadSettings();
  } catch (err) {
    if (err instanceof SettingsError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

const program = new Command()
  .name('personal-os')
  .description('Personal OS API command line')
  .showHelpAfterError();

program
  .command('create-table')
  .description('Create the DynamoDB table (pk/sk, GSI1, GSI2, TTL on ttl) on AWS or any endpoint')
  .option('--table <name>', 'table name (default: TABLE_NAME or personal-os-{STAGE})')
  .option(
    '--endpoint <url>',
    'DynamoDB endpoint, e.g. an emulator (default: DYNAMODB_ENDPOINT_URL)',
  )
  .option('--region <region>', 'AWS region (default: AWS_REGION)')
  .action(async (options: { table?: string; endpoint?: string; region?: string }) => {
    const s = settings();
    const { createDynamoClient, createTable } = await import('./db/dynamodb/index.js');
    const tableName = options.table ?? s.TABLE_NAME;
    const endpoint = options.endpoint ?? s.DYNAMODB_ENDPOINT_URL;
    const client = createDynamoClient({
      region: options.region ?? s.AWS_REGION,
      ...(endpoint ? { endpoint } : {}),
    });
    const outcome = await createTable(client, tableName);
    console.log(
      outcome === 'created' ? `Created table ${tableName}` : `Table ${tableName} already exists`,
    );
    client.destroy();
  });

program
  .command('wallet-audit')
  .description('Recompute balances from their ledgers and report mismatches (exit code 1 when any)')
  .option('--user <id>', 'audit the wallet of one user')
  .option('--all', 'audit every wallet in the store (scans the whole table)')
  .action(async (options: { user?: string; all?: boolean }) => {
    if (Boolean(options.user) === Boolean(options.all)) {
      console.error('Give either --user <id> or --all');
      process.exit(2);
    }
    const { openTable } = await import('./runtime.js');
    const { auditAllWallets, auditWallet, describeAudit } =
      await import('./services/wallet-audit.js');
    const db = await openTable(settings());
    try {
      const audits = options.user
        ? [await auditWallet({ db, userId: options.user })]
        : await auditAllWallets(db);
      for (const audit of audits) console.log(describeAudit(audit));
      const bad = audits.filter((audit) => audit.problems.length > 0).length;
      console.log(`${audits.length} wallet(s) audited, ${bad} with mismatches`);
      process.exitCode = bad > 0 ? 1 : 0;
    } finally {
      await db.close();
    }
  });

program
  .command('import-localstorage')
  .description(
    "Import a browser's localStorage dump (or a GET /export document) into a user's account",
  )
  .argument('<file>', 'JSON file: an object of gs_* keys, values parsed or raw JSON strings')
  .requiredOption(
    '--email <email>',
    'the account to import into: created with local sign-in; with AUTH_MODE=cognito, the existing Cognito user of that email (found with ListUsers)',
  )
  .option(
    '--password <password>',
    'password of the local account when it has to be created (default: a random one, printed)',
  )
  .action(async (file: string, options: { email: string; password?: string }) => {
    const s = settings();
    for (const [option, schema, value] of [
      ['--email', Email, options.email],
      ['--password', Password, options.password],
    ] as const) {
      const parsed = schema.optional().safeParse(value);
      if (!parsed.success) {
        console.error(`Invalid ${option}: ${parsed.error.issues[0]?.message ?? 'refused'}`);
        process.exit(2);
      }
    }
    let dump: unknown;
    try {
      dump = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      console.error(`Cannot read ${file}: ${(err as Error).message}`);
      process.exit(2);
    }
    if (typeof dump !== 'object' || dump === null || Array.isArray(dump)) {
      console.error(`${file} does not hold an object of gs_* keys`);
      process.exit(2);
    }
    const { buildDeps } = await import('./runtime.js');
    const { userCtx } = await import('./api/deps.js');
    const { findOrCreateUser } = await import('./services/auth/index.js');
    const { importLocalStorage } = await import('./services/import/index.js');
    const { SingleBar, Presets } = await import('cli-progress');
    const deps = await buildDeps(s);
    try {
      const generated = options.password ? null : `${randomBytes(12).toString('base64url')}-Aa1`;
      const password = s.AUTH_MODE === 'local' ? (options.password ?? generated) : null;
      const { userId, created } = await findOrCreateUser(deps, options.email, password);
      console.log(
        created
          ? `Created the local account ${options.email} (user ${userId})${generated ? ` with the password ${generated}` : ''}`
          : `Importing into ${options.email} (user ${userId})`,
      );
      const bar = new SingleBar(
        { format: 'Importing [{bar}] {value}/{total} writes', hideCursor: true },
        Presets.shades_classic,
      );
      bar.start(1, 0);
      const result = await importLocalStorage(
        userCtx(deps, userId),
        dump as Record<string, unknown>,
        (done, total) => {
          bar.setTotal(total);
          bar.update(done);
        },
      );
      bar.stop();
      const rows = [...Object.entries(result.collections), ['total', result.totals] as const];
      const table = rows.map(([name, c]) => [
        name,
        String(c.created),
        String(c.updated),
        String(c.unchanged),
        String(c.failed),
      ]);
      printColumns([['collection', 'created', 'updated', 'unchanged', 'failed'], ...table]);
      console.log(`\nWallet (${result.wallet.source}): ${result.wallet.detail}`);
      console.log(
        `Balance ${result.wallet.totalPoints} points (earned ${result.wallet.lifetimeEarned}, spent ${result.wallet.lifetimeSpent})`,
      );
      if (result.ignoredKeys.length) console.log(`Ignored keys: ${result.ignoredKeys.join(', ')}`);
      for (const p of result.problems) {
        console.log(`${p.level}: ${p.collection}${p.id ? ` ${p.id}` : ''}: ${p.reason}`);
      }
      process.exitCode = result.totals.failed > 0 ? 1 : 0;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      console.error(err.message);
      process.exitCode = 1;
    } finally {
      await deps.db.close();
    }
  });

/** Prints `rows` as columns: the first left-aligned, the others right-aligned. */
function printColumns(rows: string[][]): void {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const row of rows) {
    console.log(
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  '),
    );
  }
}

await program.parseAsync();
