package io.bizmatters.agentexecutor.ingress.jetstream;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** A durable pull consumer on one stream; the options mirror docs/contract.md's JetStream set-up. */
public class JetStreamEndpoint extends DefaultEndpoint {
    private final String stream;
    private String consumer;
    private String subjects = "agent.execute.*";
    private int maxConcurrentJobs = 200;
    private int shutdownGraceSeconds = 25;

    JetStreamEndpoint(String uri, JetStreamComponent component, String stream) {
        super(uri, component);
        this.stream = stream;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("jetstream: is a consumer; result events are published by ResultEventPublisher");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        JetStreamConsumer jetStreamConsumer = new JetStreamConsumer(this, processor);
        configureConsumer(jetStreamConsumer);
        return jetStreamConsumer;
    }

    @Override
    public JetStreamComponent getComponent() {
        return (JetStreamComponent) super.getComponent();
    }

    public String getStream() {
        return stream;
    }

    public String getConsumer() {
        return consumer;
    }

    /** The durable consumer's name, created if missing. */
    public void setConsumer(String consumer) {
        this.consumer = consumer;
    }

    public String getSubjects() {
        return subjects;
    }

    /** Subjects of the stream (when it must be created) and the consumer's filter. */
    public void setSubjects(String subjects) {
        this.subjects = subjects;
    }

    public int getMaxConcurrentJobs() {
        return maxConcurrentJobs;
    }

    /** Messages in flight at once; each runs on its own virtual thread. */
    public void setMaxConcurrentJobs(int maxConcurrentJobs) {
        this.maxConcurrentJobs = maxConcurrentJobs;
    }

    public int getShutdownGraceSeconds() {
        return shutdownGraceSeconds;
    }

    /** How long stopping waits for running jobs before handing their messages back. */
    public void setShutdownGraceSeconds(int shutdownGraceSeconds) {
        this.shutdownGraceSeconds = shutdownGraceSeconds;
    }
}
