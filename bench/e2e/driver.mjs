// Submits N jobs to JetStream (agent.execute.bench) and waits for their result events on
// agent.status.*. Prints one JSON line: throughput from first submit to last result, latency per
// job (submit -> result), and how many result events each job got (exactly one is the promise).
// Usage: node driver.mjs <nats-url> <jobs> <job-id-prefix> <definition.json> [timeout-s]
import { connect, StringCodec } from "nats";
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";

const [url, jobsArg, prefix, definitionFile, timeoutArg] = process.argv.slice(2);
const jobs = Number(jobsArg);
const timeoutMs = Number(timeoutArg ?? 600) * 1000;
const definition = JSON.parse(readFileSync(definitionFile, "utf8"));
const sc = StringCodec();

const nc = await connect({ servers: url });
const js = nc.jetstream();
const submitted = new Map();
const results = new Map();
let failed = 0;
let lastResult = 0;
let done;
const allIn = new Promise((resolve) => (done = resolve));

const sub = nc.subscribe("agent.status.*");
(async () => {
  for await (const m of sub) {
    const event = JSON.parse(sc.decode(m.data));
    const id = event.data?.job_id;
    if (!submitted.has(id)) continue;
    const seen = results.get(id);
    if (seen) {
      seen.count++;
      continue;
    }
    const now = performance.now();
    results.set(id, { count: 1, latency: now - submitted.get(id) });
    if (m.subject.endsWith(".failed")) failed++;
    lastResult = now;
    if (results.size === jobs) done();
  }
})();
await nc.flush();

const started = performance.now();
const window = 200;
let inFlight = [];
for (let i = 0; i < jobs; i++) {
  const jobId = `${prefix}-${i}`;
  const event = {
    specversion: "1.0", type: "dev.my-platform.agent.execute", source: "nats://agent.execute.bench",
    id: randomUUID(), datacontenttype: "application/json",
    data: {
      trace_id: randomUUID(), job_id: jobId, agent_definition: definition,
      input_payload: { messages: [{ role: "user", content: `Count the words of job ${i}: the quick brown fox jumps` }] },
    },
  };
  submitted.set(jobId, performance.now());
  inFlight.push(js.publish("agent.execute.bench", sc.encode(JSON.stringify(event))));
  if (inFlight.length >= window) {
    await Promise.all(inFlight);
    inFlight = [];
  }
}
await Promise.all(inFlight);

const timer = setTimeout(done, timeoutMs);
await allIn;
clearTimeout(timer);
// Late duplicates would arrive within a moment: keep listening briefly before counting.
await new Promise((r) => setTimeout(r, 1500));

const latencies = [...results.values()].map((r) => r.latency).sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : null);
const seconds = ((lastResult || performance.now()) - started) / 1000;
const events = [...results.values()].reduce((a, r) => a + r.count, 0);
console.log(JSON.stringify({
  jobs, answered: results.size, failed, seconds: +seconds.toFixed(3),
  jobs_per_s: +(results.size / seconds).toFixed(1),
  p50_ms: pct(0.5) && +pct(0.5).toFixed(1), p99_ms: pct(0.99) && +pct(0.99).toFixed(1),
  result_events: events, duplicates: events - results.size, missing: jobs - results.size,
}));
await sub.unsubscribe();
await nc.close();
