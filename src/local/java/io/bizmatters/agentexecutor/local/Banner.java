package io.bizmatters.agentexecutor.local;

import java.nio.file.Path;
import java.util.Map;

/** What a local run prints once the service is up: where everything is, how to submit and watch a job. */
final class Banner {
    /** The job_id of examples/sample-job.json, which the printed curl command replaces with a fresh one. */
    private static final String SAMPLE_JOB_ID = "sample-job-http-1";

    private Banner() {
    }

    static String text(Map<String, String> environment, Path logs) {
        String port = environment.get("PORT");
        String redisPort = environment.get("DRAGONFLY_PORT");
        String natsUrl = environment.get("NATS_URL");
        return """

                agent-executor is up on http://localhost:%1$s  (Ctrl-C drains it, then stops the embedded servers)
                  PostgreSQL 127.0.0.1:%2$s  Redis-compatible 127.0.0.1:%3$s  NATS %4$s
                  The embedded servers' output: %5$s/{postgres,redis,nats-server}.log

                %6$s
                Submit the sample job over HTTP, with a fresh job_id each time (it answers once the job is done):
                  sed "s/%7$s/sample-$(date +%%s%%N)/" examples/sample-job.json | curl -sS -X POST http://localhost:%1$s/ -H 'Content-Type: application/cloudevents+json' --data-binary @-
                  Posting examples/sample-job.json as it is runs it once; after that the same job_id is not run again:
                  the stored result is answered again (a republish) and the stream stays silent.

                Submit it over NATS JetStream (a fresh job_id each time; prints the result event):
                  NATS_URL=%4$s scripts/submit-nats.sh examples/sample-job.json

                A job that waits for approval before its specialist runs (docs/approvals.md):
                  NATS_URL=%4$s scripts/submit-nats.sh examples/approval-job.json

                Look a job up: curl -sS http://localhost:%1$s/jobs/<job_id>
                Probes:        curl -sS http://localhost:%1$s/ready ; curl -sS http://localhost:%1$s/metrics
                """.formatted(port, environment.get("POSTGRES_PORT"), redisPort, natsUrl, logs,
                howToWatch(redisPort), SAMPLE_JOB_ID);
    }

    /** Pub/sub keeps nothing for late subscribers, so the watcher starts before the job (docs/events.md). */
    private static String howToWatch(String redisPort) {
        // WATCH IN A BROWSER: the SSE endpoint and /console (issue 9) are not on this branch yet.
        // Once their routes exist, print their URLs here, beside the redis-cli lines.
        return """
                Watch the jobs' streams: in a second terminal, before you submit (redis-cli: apt-get install redis-tools):
                  redis-cli -p %1$s PSUBSCRIBE 'langgraph:stream:*'
                  one job only: redis-cli -p %1$s SUBSCRIBE langgraph:stream:<job_id>
                """.formatted(redisPort);
    }
}
