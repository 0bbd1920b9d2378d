import type { Scope } from "~/auth/permissions";
import { householdScopeWhere, villageScopeWhere } from "~/auth/permissions.server";
import { prisma } from "~/lib/db.server";

/** Household counts by village and status inside a scope: the home page of every role. */
export async function registryOverview(scope: Scope) {
  const [byVillage, villages, people] = await Promise.all([
    prisma.household.groupBy({ by: ["villageId", "status"], where: householdScopeWhere(scope), _count: { _all: true } }),
    prisma.village.findMany({
      where: villageScopeWhere(scope),
      select: { id: true, name: true, township: { select: { name: true } } },
      orderBy: [{ townshipId: "asc" }, { code: "asc" }],
    }),
    prisma.person.count({ where: { leftOn: null, household: householdScopeWhere(scope) } }),
  ]);
  const rows = villages.map((v) => {
    const counts = { ORDINARY: 0, ALLEVIATED: 0, MONITORED: 0 } as Record<string, number>;
    for (const g of byVillage) if (g.villageId === v.id) counts[g.status] = (counts[g.status] ?? 0) + g._count._all;
    return {
      id: v.id,
      name: v.name,
      townshipName: v.township.name,
      households: counts.ORDINARY! + counts.ALLEVIATED! + counts.MONITORED!,
      alleviated: counts.ALLEVIATED!,
      monitored: counts.MONITORED!,
    };
  });
  const sum = (k: "households" | "alleviated" | "monitored") => rows.reduce((s, r) => s + r[k], 0);
  return { villages: rows, totals: { households: sum("households"), alleviated: sum("alleviated"), monitored: sum("monitored"), people } };
}
