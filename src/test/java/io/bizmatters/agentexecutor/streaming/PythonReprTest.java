package io.bizmatters.agentexecutor.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PythonReprTest {
    @Test
    void stringsAreQuotedTheWayPythonReprQuotesThem() {
        assertThat(PythonRepr.string("plain")).isEqualTo("'plain'");
        assertThat(PythonRepr.string("it's")).isEqualTo("\"it's\"");
        assertThat(PythonRepr.string("both ' and \"")).isEqualTo("'both \\' and \"'");
        assertThat(PythonRepr.string("line\nnext\ttab \\ \u0001")).isEqualTo("'line\\nnext\\ttab \\\\ \\x01'");
        assertThat(PythonRepr.string(null)).isEqualTo("None");
    }
}
