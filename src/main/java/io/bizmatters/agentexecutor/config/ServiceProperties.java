package io.bizmatters.agentexecutor.config;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.PropertiesFunction;

import java.util.Map;

/**
 * The service's Camel properties: {@code application.properties}, whose {@code {{env:NAME:default}}}
 * placeholders are resolved from an environment given here, the process's in production and a
 * test's map in tests, so that one JVM can run services with different environments.
 */
public final class ServiceProperties {
    static final String LOCATION = "classpath:application.properties";

    private ServiceProperties() {
    }

    /** Points a context's properties at application.properties and the environment, before Camel Main configures it. */
    public static void configure(CamelContext context, Map<String, String> environment) {
        PropertiesComponent properties = context.getPropertiesComponent();
        properties.setLocation(LOCATION);
        properties.addPropertiesFunction(new EnvironmentFunction(environment));
        // The environment reaches the properties through {{env:}} alone: a variable named like a property overrides nothing.
        ((org.apache.camel.component.properties.PropertiesComponent) properties).setEnvironmentVariableMode(
                org.apache.camel.component.properties.PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
    }

    /** The properties without a service around them: for the migrate command and for tests. */
    public static PropertiesComponent of(Map<String, String> environment) {
        CamelContext context = new DefaultCamelContext(false);
        configure(context, environment);
        return context.getPropertiesComponent();
    }

    /**
     * Camel's own {@code env} function reads only the process's environment and takes a blank
     * variable as set; this one reads the given map, and a blank variable takes the default, as the
     * Python service's settings did. A variable without a default keeps its value verbatim (an
     * empty POSTGRES_PASSWORD is a password).
     */
    private record EnvironmentFunction(Map<String, String> environment) implements PropertiesFunction {
        @Override
        public String getName() {
            return "env";
        }

        @Override
        public String apply(String remainder) {
            int colon = remainder.indexOf(':');
            if (colon < 0) {
                return environment.get(remainder);
            }
            String value = environment.get(remainder.substring(0, colon));
            return value == null || value.isBlank() ? remainder.substring(colon + 1) : value;
        }
    }
}
