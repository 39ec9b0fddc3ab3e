package io.bizmatters.agentexecutor;

import io.bizmatters.agentexecutor.config.ServiceProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.spi.PropertiesComponent;

import java.util.Map;

/**
 * Camel Main over a context made before it starts, so the settings are read from the very
 * properties (application.properties over the environment) that Camel Main and the routes read.
 */
final class ServiceMain extends Main {
    private final DefaultCamelContext context = new DefaultCamelContext(false);

    ServiceMain(Map<String, String> environment) {
        context.getCamelContextExtension().setRegistry(registry);
        ServiceProperties.configure(context, environment);
    }

    PropertiesComponent properties() {
        return context.getPropertiesComponent();
    }

    @Override
    protected CamelContext createCamelContext() {
        return context;
    }
}
