// A stand-in language server for the activation test: it speaks just enough LSP over stdio and
// appends what it receives to the JSON-lines file named by HASTEN_MOCK_RECORD.

import * as fs from "node:fs";

const recordFile = process.env.HASTEN_MOCK_RECORD;

function record(event: string, payload: unknown): void {
  if (recordFile) {
    fs.appendFileSync(recordFile, JSON.stringify({ event, payload, pid: process.pid }) + "\n");
  }
}

function send(message: object): void {
  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
}

let nextId = 1;
const pending = new Map<number, string>();

function request(method: string, params: unknown): void {
  const id = nextId++;
  pending.set(id, method);
  send({ id, method, params });
}

interface Message {
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

function handle(message: Message): void {
  if (message.method === undefined) {
    // A response to one of our requests.
    const method = pending.get(message.id as number);
    pending.delete(message.id as number);
    record(`response:${method}`, message.result ?? message.error);
    return;
  }
  switch (message.method) {
    case "initialize":
      record("initialize", { argv: process.argv.slice(2), cwd: process.cwd(), params: message.params });
      send({
        id: message.id,
        result: {
          capabilities: {
            textDocumentSync: 1,
            codeActionProvider: { codeActionKinds: ["quickfix", "source.fixAll.hasten"] },
            // The real server's commands, plus one named like one of the extension's own.
            executeCommandProvider: { commands: ["hasten.verifyFix", "hasten.fixAll", "hasten.mockOnly", "hasten.restart"] },
          },
          serverInfo: { name: "mock-hasten", version: "0" },
        },
      });
      return;
    case "initialized":
      record("initialized", null);
      request("workspace/configuration", { items: [{ section: "hasten" }, { section: "other" }] });
      return;
    case "workspace/executeCommand":
      record("executeCommand", message.params);
      send({ id: message.id, result: { message: "verified: 2.0x faster" } });
      return;
    case "shutdown":
      record("shutdown", null);
      send({ id: message.id, result: null });
      return;
    case "exit":
      record("exit", null);
      process.exit(0);
      return;
    default:
      if (message.id !== undefined) {
        send({ id: message.id, result: null });
      } else {
        record(message.method, message.params);
      }
  }
}

let buffer = Buffer.alloc(0);
process.stdin.on("data", (chunk: Buffer) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
      return;
    }
    const match = /Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString("ascii"));
    const length = match ? Number(match[1]) : 0;
    if (buffer.length < headerEnd + 4 + length) {
      return;
    }
    const body = buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8");
    buffer = buffer.subarray(headerEnd + 4 + length);
    handle(JSON.parse(body) as Message);
  }
});
process.stdin.on("end", () => process.exit(0));
