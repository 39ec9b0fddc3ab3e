package io.bizmatters.agentexecutor.agent.definition;

/**
 * One key of a specialist's {@code state_schema}: a graph-state channel with its reducer.
 * Python LangGraph reducers {@code add_messages} and {@code operator.add} (and our alias
 * {@code append}) append lists; every other key keeps the last value written, as a LangGraph
 * channel without reducer does.
 */
public record StateKey(String name, Reducer reducer) {

    public enum Reducer {
        APPEND, LAST_VALUE
    }
}
