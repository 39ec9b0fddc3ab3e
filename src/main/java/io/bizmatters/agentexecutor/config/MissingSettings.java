package io.bizmatters.agentexecutor.config;

import java.util.List;

/** Start-up cannot go on: one message names every required variable that is missing or invalid. */
public class MissingSettings extends IllegalStateException {
    private final List<String> problems;

    public MissingSettings(List<String> problems) {
        super("Cannot start: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
