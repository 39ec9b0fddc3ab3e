package io.bizmatters.agentexecutor.ingress.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * Optional access control (API_TOKEN): every request but the probes, metrics and the console's
 * static files must carry {@code Authorization: Bearer <token>}, or it is answered 401 before any
 * route or handler sees it (the SSE handler included). The
 * token is compared as SHA-256 digests with {@link MessageDigest#isEqual}, so neither its content
 * nor its length can be timed; it is never logged.
 */
final class BearerTokenCheck implements Handler<RoutingContext> {
    /** Kubernetes probes and Prometheus scrape without credentials. */
    private static final Set<String> OPEN_PATHS = Set.of("/health", "/ready", "/metrics");
    /**
     * The console's page, script and style hold no job data, and a browser cannot send a header
     * when it opens a page: they load, then the page asks for the token it sends on every read.
     */
    private static final String CONSOLE = "/console";
    private static final String SCHEME = "Bearer ";

    private final byte[] expected;

    BearerTokenCheck(String token) {
        this.expected = sha256(token);
    }

    @Override
    public void handle(RoutingContext context) {
        if (open(context.normalizedPath()) || authorized(context.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            context.next();
            return;
        }
        context.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer")
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end("{\"detail\":\"this endpoint needs an Authorization: Bearer token (API_TOKEN)\",\"field\":\"Authorization\"}");
    }

    private static boolean open(String path) {
        return OPEN_PATHS.contains(path) || path.equals(CONSOLE) || path.startsWith(CONSOLE + "/");
    }

    private boolean authorized(String header) {
        if (header == null || header.length() < SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return MessageDigest.isEqual(expected, sha256(header.substring(SCHEME.length()).strip()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }
}
