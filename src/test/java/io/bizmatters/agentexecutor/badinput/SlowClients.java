package io.bizmatters.agentexecutor.badinput;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Clients that hold the HTTP server without using it, on raw sockets; each returns null when the server let go of them. */
final class SlowClients {
    /** Longer than the suite's HTTP timeouts (1 s, 2 s), far shorter than forever. */
    private static final int GIVE_UP_MILLIS = 10_000;

    private SlowClients() {
    }

    /** Sends headers announcing 1000 bytes, then four: the server answers 408 (or just closes). */
    static String slowBody(URI base, String token) throws IOException {
        try (Socket slow = new Socket(base.getHost(), base.getPort())) {
            slow.setSoTimeout(GIVE_UP_MILLIS);
            OutputStream out = slow.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"sp").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(slow.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return answer.startsWith("HTTP/1.1 408") || answer.isEmpty() ? null : "answered " + answer;
        } catch (SocketTimeoutException e) {
            return "a connection with a slow body stayed open";
        }
    }

    /** One request, then silence on the kept-alive connection: the server closes it. */
    static String idleConnection(URI base) throws IOException {
        try (Socket idle = new Socket(base.getHost(), base.getPort())) {
            idle.setSoTimeout(GIVE_UP_MILLIS);
            idle.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = idle.getInputStream();
            byte[] buffer = new byte[4096];
            long started = System.nanoTime();
            while (in.read(buffer) >= 0) {
                // the answer, then the end of the stream once the idle timeout closed the connection
            }
            return Duration.ofNanos(System.nanoTime() - started).toMillis() < GIVE_UP_MILLIS ? null : "an idle connection stayed open";
        } catch (SocketTimeoutException e) {
            return "an idle connection stayed open";
        }
    }
}
