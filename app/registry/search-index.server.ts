import type { Prisma } from "@prisma/client";
import { idTerm, nameTerms, phoneTerm } from "./search-terms";

type Tx = Prisma.TransactionClient;

/** The search terms of one household's current members, its phone and their phones. */
export function householdTerms(h: { phone: string; members: { name: string; idNumber: string; phone: string }[] }): string[] {
  const terms = new Set<string>();
  for (const m of h.members) {
    for (const t of nameTerms(m.name)) terms.add(t);
    terms.add(idTerm(m.idNumber));
    if (m.phone) terms.add(phoneTerm(m.phone));
  }
  if (h.phone) terms.add(phoneTerm(h.phone));
  return [...terms];
}

/** Rebuilds a household's rows in the search index inside the caller's transaction. */
export async function replaceSearchTerms(tx: Tx, householdId: number): Promise<void> {
  const h = await tx.household.findUniqueOrThrow({
    where: { id: householdId },
    select: { townshipId: true, villageId: true, phone: true, members: { where: { leftOn: null }, select: { name: true, idNumber: true, phone: true } } },
  });
  await tx.householdSearchTerm.deleteMany({ where: { householdId } });
  const terms = householdTerms(h);
  if (terms.length) {
    await tx.householdSearchTerm.createMany({
      data: terms.map((term) => ({ term, townshipId: h.townshipId, villageId: h.villageId, householdId })),
    });
  }
}
