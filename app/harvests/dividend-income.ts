/**
 * How a cooperative's harvest sales feed its dividend run's income: the
 * simulator's income field starts with the year's harvest sales, unless the
 * accountant typed an income of their own (other income exists: services,
 * subsidies, rent of machines). Pure, so the rule is tested on its own.
 */

export interface HarvestIncome {
  /** yuan, 2 decimals */
  sales: string;
  records: number;
}

/**
 * The income field's value and the hidden `harvestIncome` field that
 * remembers what was pre-filled. An income equal to the remembered
 * pre-fill counts as not typed, so changing the year refreshes it; a
 * pre-fill from another year is dropped when this year has no harvests.
 */
export function prefillIncome(raw: { income?: string; harvestIncome?: string }, harvest: HarvestIncome | null): { income: string | undefined; harvestIncome: string } {
  const typed = (raw.income ?? "").trim();
  const remembered = (raw.harvestIncome ?? "").trim();
  const untyped = typed === "" || (remembered !== "" && typed === remembered);
  if (!untyped) return { income: raw.income, harvestIncome: "" };
  if (harvest && harvest.records > 0) return { income: harvest.sales, harvestIncome: harvest.sales };
  return { income: remembered !== "" ? "" : raw.income, harvestIncome: "" };
}
