package io.bizmatters.agentexecutor;

import io.bizmatters.agentexecutor.jobs.JobStore;
import org.apache.camel.spi.PropertiesSource;

import java.util.Map;

/**
 * The Camel properties computed from the settings rather than given by a variable, which
 * application.properties and the routes read as {@code {{derived.*}}}.
 */
record DerivedProperties(Map<String, String> values) implements PropertiesSource {

    static DerivedProperties of(Settings settings, boolean tracing) {
        return new DerivedProperties(Map.of(
                "derived.shutdownTimeoutSeconds", Long.toString(settings.shutdownTimeout().toSeconds()),
                "derived.interruptSweepMillis", Long.toString(settings.interruptSweepPeriod().toMillis()),
                "derived.leaseRenewalMillis", Long.toString(JobStore.LEASE_RENEWAL.toMillis()),
                "derived.tracing", Boolean.toString(tracing)));
    }

    @Override
    public String getName() {
        return "derived settings";
    }

    @Override
    public String getProperty(String name) {
        return values.get(name);
    }
}
