import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { loader } from "~/routes/verify.$code";
import { buildWorld, request, statusOf, type World } from "../factories";
import { extend } from "./access/dividends.world";

let w: World;
beforeAll(async () => {
  w = await buildWorld();
  await extend(w);
});

/** The public page as the server calls it: the address from the connection, any headers the client likes. */
const verify = (code: string, address: string, headers: Record<string, string> = {}) =>
  statusOf(() => loader({ request: request(`/verify/${code}`, { headers }), params: { code }, context: { clientAddress: address } }));

describe("statement verification throttle", () => {
  it("ignores X-Forwarded-For: a new header value per guess is still the same address", async () => {
    for (let i = 0; i < 5; i++) expect(await verify(`WRONG${i}XYZ`, "198.51.100.1", { "X-Forwarded-For": `10.0.0.${i}` })).toBe(404);
    expect(await verify("WRONG9XYZ", "198.51.100.1", { "X-Forwarded-For": "10.9.9.9" })).toBe(429);
  });

  it("never refuses a correct code from an address that made no wrong guess, whatever others do", async () => {
    // someone elsewhere guesses, and someone hammers the real code after guessing wrong
    for (let i = 0; i < 6; i++) await verify(`NOPE${i}ABCD`, "203.0.113.7");
    await verify("NOPE9ABCD", "203.0.113.8");
    for (let i = 0; i < 25; i++) await verify("ACCESS2345", "203.0.113.8");
    expect(await verify("ACCESS2345", "203.0.113.8")).toBe(429);
    // a member at another address scans the statement: answered
    expect(await verify("ACCESS2345", "192.0.2.44")).toBe(200);
    // and before the fix, every client without the header shared one bucket: not any more
    expect(await verify("ACCESS2345", "192.0.2.45")).toBe(200);
    expect(await prisma.verifyAttempt.count({ where: { code: "ACCESS2345" } })).toBeGreaterThan(20);
  });
});
