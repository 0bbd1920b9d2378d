/**
 * Brings the household search index of an existing database up to the terms
 * this version writes (ADR 005): databases made before the ID-suffix and
 * birth-date terms get them for every household, in the import's short
 * transactions of 500 households (other writers get the lock in between).
 * Run by `npm start` / `npm run setup` after the migrations; on a current
 * index it only checks and writes nothing.
 */
import { indexHouseholds } from "~/imports/apply.server";
import { householdsWithStaleTerms } from "./households.queries.server";

export async function upgradeSearchIndex(log: (s: string) => void = () => {}): Promise<number> {
  const ids = await householdsWithStaleTerms();
  if (ids.length === 0) return 0;
  log(`search index: adding the ID-suffix and birth-date terms of ${ids.length} households…`);
  await indexHouseholds(ids);
  return ids.length;
}
