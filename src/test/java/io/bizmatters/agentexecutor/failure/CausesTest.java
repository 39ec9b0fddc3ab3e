package io.bizmatters.agentexecutor.failure;

import io.bizmatters.agentexecutor.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;

class CausesTest {

    /** A refused connection, wrapped as the engine wraps a provider that is down. */
    private static InfrastructureFault refusedConnection() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", TestServers.freePort()), 2_000);
            throw new AssertionError("nothing should listen on a free port");
        } catch (IOException refused) {
            RuntimeException client = new RuntimeException(null, refused); // a client that drops the message
            return new InfrastructureFault("model", "openai model 'm' is unavailable after 4 attempt(s): "
                    + Causes.message(client), client);
        }
    }

    @Test
    void aLogLineNamesEveryCauseOfARefusedConnection() {
        String line = Causes.describe(refusedConnection());

        assertThat(line).startsWith("InfrastructureFault: openai model 'm' is unavailable after 4 attempt(s)")
                .contains("ConnectException: Connection refused").doesNotContain("null");
    }

    @Test
    void aMessageForCallersCarriesTheCauseButNoClassName() {
        InfrastructureFault fault = refusedConnection();

        assertThat(fault.getMessage()).endsWith(": Connection refused").doesNotContain("Exception");
        assertThat(Causes.message(new RuntimeException((String) null))).doesNotContain("Exception").isNotBlank();
    }
}
