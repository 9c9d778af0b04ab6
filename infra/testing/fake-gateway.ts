// A local HTTP server implementing the OpenFaaS gateway's documented function API (openfaas/faas
// api-docs/spec.openapi.yml): basic auth; POST /system/functions 202|400; PUT 200|400|404;
// DELETE {functionName} 200|400|404; GET /system/function/{name}?namespace= 200|404.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeGateway {
  url: string;
  /** Deployed functions by `<namespace>/<service>`, as last received. */
  functions: Map<string, Record<string, any>>;
  /** Every request: method, path. */
  calls: string[];
  /** Answer the next `count` requests matching `method` with `status` (e.g. 503 while starting). */
  failNext(method: string, status: number, count?: number): void;
  close(): Promise<void>;
}

export async function startFakeGateway(credentials: { username: string; password: string }): Promise<FakeGateway> {
  const functions = new Map<string, Record<string, any>>();
  const calls: string[] = [];
  const failures: { method: string; status: number; count: number }[] = [];
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://gateway");
      calls.push(`${req.method} ${url.pathname}`);
      const reply = (status: number, body = "") => res.writeHead(status, { "content-type": "text/plain" }).end(body);
      if (req.headers.authorization !== expected) return reply(401, "Unauthorized");
      const failure = failures.find((f) => f.method === req.method && f.count > 0);
      if (failure) {
        failure.count--;
        return reply(failure.status, "injected failure");
      }
      let body: Record<string, any> = {};
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
      } catch {
        return reply(400, "invalid JSON");
      }
      const status = url.pathname.match(/^\/system\/function\/([^/]+)$/);
      if (req.method === "GET" && status) {
        const fn = functions.get(`${url.searchParams.get("namespace") ?? "openfaas-fn"}/${decodeURIComponent(status[1])}`);
        return fn ? res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: fn.service, image: fn.image })) : reply(404, "Not Found");
      }
      if (url.pathname !== "/system/functions") return reply(404, "Not Found");
      const key = `${body.namespace ?? "openfaas-fn"}/${body.service ?? body.functionName}`;
      switch (req.method) {
        case "POST":
          if (!body.service || !body.image) return reply(400, "service and image are required");
          if (functions.has(key)) return reply(400, `function ${body.service} already exists`);
          functions.set(key, body);
          return reply(202);
        case "PUT":
          if (!body.service || !body.image) return reply(400, "service and image are required");
          if (!functions.has(key)) return reply(404, `function ${body.service} not found`);
          functions.set(key, body);
          return reply(200);
        case "DELETE":
          if (!body.functionName) return reply(400, "functionName is required");
          if (!functions.delete(key)) return reply(404, `function ${body.functionName} not found`);
          return reply(200);
        default:
          return reply(405, "Method Not Allowed");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    functions,
    calls,
    failNext: (method, status, count = 1) => failures.push({ method, status, count }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
