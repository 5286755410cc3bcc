/** The wallet as stored, read straight from the table (tests check it independently of the routes). */
import { keys, userPk } from '../../src/db/keys.js';
import { queryAll, type Item, type Table } from '../../src/db/table.js';

/** The user's ledger entries, oldest first, and the stored balance (`totalPoints`, 0 when none). */
export async function storedLedger(
  db: Table,
  userId: string,
): Promise<{ entries: Item[]; balance: number }> {
  const entries = await queryAll(db, { pk: userPk(userId), sk: { beginsWith: keys.ledgerPrefix } });
  const wallet = await db.get(keys.wallet(userId));
  return { entries, balance: Number(wallet?.totalPoints ?? 0) };
}
