/** What the load scripts share: they only ever talk to a server they start on this machine's loopback. */
import net from "node:net";

/** A free TCP port on 127.0.0.1, for a server started by a load script. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
