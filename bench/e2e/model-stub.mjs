// The scripted OpenAI-compatible model both services call in the end-to-end benchmark.
// POST /v1/chat/completions, always streamed: a conversation without a tool result gets a
// word_count tool call, one with a tool result gets the final answer. LATENCY_MS delays every
// answer before its first byte, like a provider thinking. Counts calls and serves them on GET /stats.
import http from "node:http";

const port = Number(process.env.PORT ?? 0);
const latencyMs = Number(process.env.LATENCY_MS ?? 0);
let calls = 0;

const frame = (delta, finish) => ({
  id: "chatcmpl-bench", object: "chat.completion.chunk", created: 0, model: "bench-model",
  choices: [{ index: 0, delta, finish_reason: finish ?? null }],
});
const usage = {
  id: "chatcmpl-bench", object: "chat.completion.chunk", created: 0, model: "bench-model", choices: [],
  usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 },
};

function answer(messages) {
  const toolResult = messages.find((m) => m.role === "tool");
  if (!toolResult) {
    const text = String(messages.filter((m) => m.role === "user").at(-1)?.content ?? "");
    const id = "call_" + Math.random().toString(36).slice(2, 12);
    return [
      frame({ role: "assistant" }),
      frame({ tool_calls: [{ index: 0, id, type: "function", function: { name: "word_count", arguments: "" } }] }),
      frame({ tool_calls: [{ index: 0, function: { arguments: JSON.stringify({ text }) } }] }),
      frame({}, "tool_calls"),
      usage,
    ];
  }
  const words = `The text has ${toolResult.content} words.`.split(" ");
  return [
    frame({ role: "assistant" }),
    ...words.map((w, i) => frame({ content: (i ? " " : "") + w })),
    frame({}, "stop"),
    usage,
  ];
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/stats") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ calls }));
    return;
  }
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    calls++;
    const chunks = answer(JSON.parse(body).messages ?? []);
    setTimeout(() => {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.end(chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n");
    }, latencyMs);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => console.log(`model-stub listening ${server.address().port}`));
