/**
 * Command-line entry: `npm run cli -- <command>` (commander). Commands read the same settings as
 * the server (environment and `.env`); options override them.
 */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { SettingsError, loadSettings, type Settings } from './core/config.js';

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
    const { createDynamoClient, createTable } = await import('./db/dynamodb.js');
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

await program.parseAsync();
