// A tiny echo backend for the quickstart (like upstream's echo-basic): answers every request on 127.0.0.1:3000
// with a JSON description of the request. Not read by the File provider (it only reads .yaml/.yml/.json).
import { createServer } from "node:http";

const port = Number(process.env.PORT ?? 3000);
createServer((req, res) => {
  const body = JSON.stringify({ path: req.url, host: req.headers.host, method: req.method, headers: req.headers, pod: "backend-local" }, null, 2);
  res.writeHead(200, { "content-type": "application/json" });
  res.end(`${body}\n`);
}).listen(port, "127.0.0.1", () => console.log(`backend listening on 127.0.0.1:${port}`));
