package io.bizmatters.agentexecutor.ingress.http;

import io.bizmatters.agentexecutor.config.HttpSettings;
import io.vertx.core.http.HttpClosedException;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the slow-client timeouts and, when API_TOKEN is set, the bearer-token check in front of
 * every route of the platform-http server, before the first route can take a request.
 */
public final class HttpGuards implements StartupListener {
    private static final Logger LOG = LoggerFactory.getLogger(HttpGuards.class);
    /** Before Camel's own handlers (body reading, routes), whatever order they are added in. */
    private static final int FIRST = Integer.MIN_VALUE;

    private final HttpSettings settings;
    private final int port;
    private boolean installed;

    /** @param port the server's port: platform-http names its router after it */
    public HttpGuards(HttpSettings settings, int port) {
        this.settings = settings;
        this.port = port;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        install(context);
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        install(context);
    }

    private synchronized void install(CamelContext context) {
        VertxPlatformHttpRouter router = installed ? null : VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            return;
        }
        router.route().order(FIRST)
                .handler(new SlowClientTimeouts(router.vertx(), settings.requestTimeout(), settings.idleTimeout()))
                // A connection these timeouts closed fails its body reading; there is nobody left to answer.
                .failureHandler(failed -> {
                    if (!(failed.failure() instanceof HttpClosedException)) {
                        failed.next();
                    }
                });
        if (settings.accessControlled()) {
            router.route().order(FIRST + 1).handler(new BearerTokenCheck(settings.apiToken()));
        }
        installed = true;
        LOG.info("HTTP guards in place: {}", settings);
    }
}
