// The LangGraph.js service agent-executor is benchmarked against (scripts/bench/e2e.sh). It does
// the same job the same way: a JetStream pull consumer acked only after the result, a
// model -> word_count -> model graph on ChatOpenAI streaming, PostgresSaver checkpoints
// (thread_id = job_id), pub/sub stream events on langgraph:stream:{job_id}, and a result
// CloudEvent published to AGENT_STATUS with a publish ack. Bench code: not shipped.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { connect, StringCodec, AckPolicy, RetentionPolicy, StorageType, DiscardPolicy, nanos } from "nats";
import pg from "pg";
import { createClient } from "redis";
import { z } from "zod";
import { StateGraph, MessagesAnnotation, START, END } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { ChatOpenAI } from "@langchain/openai";
import { tool } from "@langchain/core/tools";

const env = process.env;
const slots = Number(env.MAX_CONCURRENT_JOBS ?? 200);
const sc = StringCodec();

const pool = new pg.Pool({
  host: env.POSTGRES_HOST, port: Number(env.POSTGRES_PORT ?? 5432), database: env.POSTGRES_DB,
  user: env.POSTGRES_USER, password: env.POSTGRES_PASSWORD, max: Number(env.POSTGRES_POOL_SIZE ?? 20),
});
const checkpointer = new PostgresSaver(pool);
await checkpointer.setup();
const redis = createClient({ socket: { host: env.DRAGONFLY_HOST, port: Number(env.DRAGONFLY_PORT ?? 6379) } });
redis.on("error", () => {});
await redis.connect();
const nc = await connect({ servers: env.NATS_URL });
const jsm = await nc.jetstreamManager();
const js = nc.jetstream();

async function ensureStream(name, subjects) {
  try {
    await jsm.streams.info(name);
  } catch {
    await jsm.streams.add({ name, subjects, retention: RetentionPolicy.Limits, storage: StorageType.File,
      discard: DiscardPolicy.Old, max_age: nanos(24 * 3600 * 1000) });
  }
}
await ensureStream("AGENT_EXECUTION", ["agent.execute.*"]);
await ensureStream("AGENT_STATUS", ["agent.status.*"]);
try {
  await jsm.consumers.info("AGENT_EXECUTION", "agent-executor-workers");
} catch {
  await jsm.consumers.add("AGENT_EXECUTION", { durable_name: "agent-executor-workers", ack_policy: AckPolicy.Explicit,
    filter_subject: "agent.execute.*", ack_wait: nanos(300_000), max_deliver: 5, max_ack_pending: 10_000 });
}

const wordCount = tool(async ({ text }) => String(text.trim() ? text.trim().split(/\s+/).length : 0), {
  name: "word_count", description: "Counts the words in a text.", schema: z.object({ text: z.string() }),
});
const model = new ChatOpenAI({
  model: "gpt-4.1-mini", apiKey: env.OPENAI_API_KEY ?? "bench", streaming: true,
  configuration: { baseURL: env.OPENAI_BASE_URL },
}).bindTools([wordCount]);
const graph = new StateGraph(MessagesAnnotation)
  .addNode("agent", async (state, config) => ({ messages: [await model.invoke(state.messages, config)] }))
  .addNode("tools", new ToolNode([wordCount]))
  .addEdge(START, "agent")
  .addConditionalEdges("agent", (s) => (s.messages.at(-1).tool_calls?.length ? "tools" : END))
  .addEdge("tools", "agent")
  .compile({ checkpointer });

const publishEvent = (jobId, event_type, data) =>
  redis.publish(`langgraph:stream:${jobId}`, JSON.stringify({ event_type, data })).catch(() => {});

async function run(job) {
  let output = "";
  const stream = await graph.stream({ messages: job.input_payload.messages },
    { configurable: { thread_id: job.job_id }, streamMode: ["messages", "updates"] });
  for await (const [mode, chunk] of stream) {
    if (mode === "messages") {
      const [message, meta] = chunk;
      publishEvent(job.job_id, "on_llm_stream", { raw_event: String(message.content ?? ""), node: meta.langgraph_node });
    } else {
      for (const [node, update] of Object.entries(chunk)) {
        const last = update?.messages?.at(-1);
        if (node === "agent" && last && !last.tool_calls?.length) output = String(last.content);
        publishEvent(job.job_id, "on_state_update", { node, messages: update?.messages?.map((m) => m.content) });
      }
    }
  }
  publishEvent(job.job_id, "end", {});
  return output;
}

async function handle(m) {
  const event = JSON.parse(sc.decode(m.data));
  const job = event.data ?? event;
  let subject, data;
  try {
    const output = await run(job);
    subject = "agent.status.completed";
    data = { job_id: job.job_id, result: { output, status: "completed" } };
  } catch (e) {
    subject = "agent.status.failed";
    data = { job_id: job.job_id, error: { message: String(e.message), type: e.name, stack_trace: "" } };
  }
  const result = { specversion: "1.0", id: randomUUID(), source: "agent-executor-peer", subject: job.job_id,
    type: subject === "agent.status.completed" ? "dev.my-platform.agent.completed" : "dev.my-platform.agent.failed",
    datacontenttype: "application/json", time: new Date().toISOString(), data };
  await js.publish(subject, sc.encode(JSON.stringify(result)));
  await m.ackAck();
}

let running = 0;
const consumer = await js.consumers.get("AGENT_EXECUTION", "agent-executor-workers");
http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ status: "ready", running }));
}).listen(Number(env.PORT ?? 8080), "127.0.0.1");

let free;
const slotFreed = () => new Promise((r) => (free = r));
const messages = await consumer.consume({ max_messages: Math.max(1, Math.floor(slots / 2)) });
for await (const m of messages) {
  while (running >= slots) await slotFreed();
  running++;
  handle(m).catch(() => m.nak()).finally(() => {
    running--;
    if (free) free();
  });
}
