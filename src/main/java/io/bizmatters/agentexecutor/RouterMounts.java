package io.bizmatters.agentexecutor;

import io.bizmatters.agentexecutor.ingress.http.HttpGuards;
import io.bizmatters.agentexecutor.watching.JobWatching;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * What goes on the platform-http router beside the routes: the HTTP guards, and
 * {@code GET /jobs/{id}/events}, which needs the router that exists once the context has started
 * (in both {@code start()} and {@code run()}).
 */
final class RouterMounts extends MainListenerSupport {
    private final Settings settings;
    private final JobWatching jobWatching;

    RouterMounts(Settings settings, JobWatching jobWatching) {
        this.settings = settings;
        this.jobWatching = jobWatching;
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        try {
            main.getCamelContext().addStartupListener(new HttpGuards(settings.http(), settings.httpPort()));
            main.getCamelContext().addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                    jobWatching.mount(VertxPlatformHttpRouter.lookup(context,
                            VertxPlatformHttpRouter.getRouterNameFromPort(settings.httpPort())));
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot guard the HTTP server and mount GET " + JobWatching.EVENTS_PATH, e);
        }
    }
}
