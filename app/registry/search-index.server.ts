import type { Prisma } from "@prisma/client";
import { birthDateOfId, birthDateTerm, idSuffixTerms, idTerm, nameTerms, phoneTerm } from "./search-terms";

type Tx = Prisma.TransactionClient;

/**
 * The search terms of one household's current members (names, ID numbers,
 * the last 4–6 characters of each ID and the birth date it carries), its
 * phone and their phones. Everything is derived from these fields, so the
 * importer and the seed (which call this) build the same index as the app.
 */
export function householdTerms(h: { phone: string; members: { name: string; idNumber: string; phone: string }[] }): string[] {
  const terms = new Set<string>();
  for (const m of h.members) {
    for (const t of nameTerms(m.name)) terms.add(t);
    terms.add(idTerm(m.idNumber));
    for (const t of idSuffixTerms(m.idNumber)) terms.add(t);
    const born = birthDateOfId(m.idNumber);
    if (born) terms.add(birthDateTerm(born));
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
