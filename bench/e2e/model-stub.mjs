// The scripted OpenAI-compatible model the benchmarks call. POST /v1/chat/completions, always
// streamed. SCRIPT picks the conversation:
// - word-count (default; scripts/bench/e2e.sh, both services): a conversation without a tool result
//   gets a word_count tool call, one with a tool result gets the final answer.
// - fan-out (scripts/bench/fan-out.sh): the lead (its system prompt says "[fan-out lead]")
//   delegates three topics to the Researcher in one turn, then answers; each Researcher calls
//   word_count, then write_file with its note, then answers: three model calls and two tools.
// LATENCY_MS delays every answer before its first byte, like a provider thinking. Counts calls and
// the most answered at once, and serves them on GET /stats.
import http from "node:http";

const port = Number(process.env.PORT ?? 0);
const latencyMs = Number(process.env.LATENCY_MS ?? 0);
const script = process.env.SCRIPT ?? "word-count";
let calls = 0;
let inFlight = 0;
let peakInFlight = 0;

const frame = (delta, finish) => ({
  id: "chatcmpl-bench", object: "chat.completion.chunk", created: 0, model: "bench-model",
  choices: [{ index: 0, delta, finish_reason: finish ?? null }],
});
const usage = {
  id: "chatcmpl-bench", object: "chat.completion.chunk", created: 0, model: "bench-model", choices: [],
  usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 },
};

/** One assistant turn calling these tools ({name, arguments}), the arguments streamed after the name. */
function toolCalls(calls) {
  return [
    frame({ role: "assistant" }),
    ...calls.flatMap(({ name, arguments: args }, index) => {
      const id = "call_" + Math.random().toString(36).slice(2, 12);
      return [
        frame({ tool_calls: [{ index, id, type: "function", function: { name, arguments: "" } }] }),
        frame({ tool_calls: [{ index, function: { arguments: JSON.stringify(args) } }] }),
      ];
    }),
    frame({}, "tool_calls"),
    usage,
  ];
}

/** One assistant turn answering this text, a word per chunk. */
function text(answer) {
  return [
    frame({ role: "assistant" }),
    ...answer.split(" ").map((w, i) => frame({ content: (i ? " " : "") + w })),
    frame({}, "stop"),
    usage,
  ];
}

const lastUser = (messages) => String(messages.filter((m) => m.role === "user").at(-1)?.content ?? "");

const scripts = {
  "word-count": (messages) => {
    const toolResult = messages.find((m) => m.role === "tool");
    return toolResult ? text(`The text has ${toolResult.content} words.`)
      : toolCalls([{ name: "word_count", arguments: { text: lastUser(messages) } }]);
  },
  "fan-out": (messages) => {
    const results = messages.filter((m) => m.role === "tool");
    const system = String(messages.find((m) => m.role === "system")?.content ?? "");
    if (system.includes("[fan-out lead]")) {
      return results.length ? text(`All ${results.length} topics are researched.`)
        : toolCalls([1, 2, 3].map((n) => ({ name: "task",
            arguments: { subagent_type: "Researcher", description: `Research topic ${n}` } })));
    }
    const topic = lastUser(messages);
    if (results.length === 0) return toolCalls([{ name: "word_count", arguments: { text: topic } }]);
    if (results.length === 1) {
      return toolCalls([{ name: "write_file", arguments: {
        file_path: `/notes/${topic.replace(/\W+/g, "-").toLowerCase()}.md`, content: `${topic}: ${results[0].content} words` } }]);
    }
    return text(`${topic}: noted.`);
  },
};
const answer = scripts[script];
if (!answer) throw new Error(`SCRIPT must be one of ${Object.keys(scripts).join(", ")}, got ${script}`);

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/stats") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ calls, peak_in_flight: peakInFlight }));
    return;
  }
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    calls++;
    peakInFlight = Math.max(peakInFlight, ++inFlight);
    const chunks = answer(JSON.parse(body).messages ?? []);
    setTimeout(() => {
      inFlight--;
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.end(chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n");
    }, latencyMs);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => console.log(`model-stub listening ${server.address().port}`));
