// A receiver for Bridge's callbacks, Node.js built-in modules only.
// BRIDGE_CALLBACK_SECRET=whsec_... PORT=8000 node receiver.mjs
import { createServer } from "node:http";
import { createHmac, timingSafeEqual } from "node:crypto";

const secret = Buffer.from(process.env.BRIDGE_CALLBACK_SECRET.replace(/^whsec_/, ""), "base64");
const toleranceSeconds = 300; // refuse old deliveries replayed by someone else

function verify(headers, body) {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"] ?? "";
  const signatures = headers["webhook-signature"] ?? "";
  if (!id || !/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) {
    return false;
  }
  const expected = createHmac("sha256", secret).update(`${id}.${timestamp}.`).update(body).digest();
  // The header may hold several space-separated signatures (while a secret is rotated): one match is enough.
  return signatures.split(" ").some((entry) => {
    const presented = Buffer.from(entry.slice(3), "base64");
    return entry.startsWith("v1,") && presented.length === expected.length && timingSafeEqual(presented, expected);
  });
}

createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks);
    if (!verify(request.headers, body)) {
      response.writeHead(401).end();
      return;
    }
    const event = JSON.parse(body);
    // Deliveries can repeat: use the webhook-id header to process each event once.
    console.log(event.type, event.data.id, event.data.status);
    response.writeHead(204).end();
  });
}).listen(Number(process.env.PORT ?? 8000), "127.0.0.1");
