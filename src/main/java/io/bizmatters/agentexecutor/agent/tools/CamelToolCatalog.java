package io.bizmatters.agentexecutor.agent.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import io.bizmatters.agentexecutor.agent.definition.DeclaredTool;
import io.bizmatters.agentexecutor.failure.JobFailure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.util.URISupport;

/**
 * Tools are what the operator deployed, never code from the message (docs/tools.md): a Camel route
 * consuming {@code direct:tool.<name>}, or a built-in registered in Java. A route wins over a
 * built-in of the same name, so an integrator can replace a built-in without a rebuild.
 */
public final class CamelToolCatalog implements ToolCatalog {
    public static final String ENDPOINT_PREFIX = "direct:tool.";
    /** The model-side rule for function names; it also keeps a name from reaching any other endpoint. */
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Bounds the specification cache against definitions that send ever new scripts. */
    private static final int MAX_CACHED_SPECIFICATIONS = 1_024;

    private final Supplier<CamelContext> context;
    private final Map<String, BoundTool> builtIns = new LinkedHashMap<>();
    private final ReentrantLock producerLock = new ReentrantLock();
    private volatile ProducerTemplate producer;
    private final Map<SpecificationKey, ToolSpecification> specifications = new ConcurrentHashMap<>();
    /** Route endpoint URIs normalized once: every job looks its tools up among all routes. */
    private final Map<String, String> normalizedUris = new ConcurrentHashMap<>();

    /**
     * @param context the service's Camel context; asked on first use, because the engine is built
     *                before Camel Main has created it
     */
    public CamelToolCatalog(Supplier<CamelContext> context, Collection<BoundTool> builtIns) {
        this.context = context;
        builtIns.forEach(tool -> this.builtIns.put(tool.specification().name(), tool));
    }

    @Override
    public Map<String, BoundTool> resolve(Collection<DeclaredTool> tools) {
        Map<String, BoundTool> bound = new LinkedHashMap<>();
        List<String> unresolved = new ArrayList<>();
        for (DeclaredTool tool : tools) {
            bind(tool).ifPresentOrElse(b -> bound.put(tool.name(), b), () -> unresolved.add(tool.name()));
        }
        if (!unresolved.isEmpty()) {
            throw new JobFailure("No tool is deployed under the name(s) " + String.join(", ", unresolved)
                    + ". Deploy a Camel route from " + ENDPOINT_PREFIX + "<name> for each (see docs/tools.md);"
                    + " scripts in the agent definition are never executed.");
        }
        return bound;
    }

    private Optional<BoundTool> bind(DeclaredTool tool) {
        if (tool.name() == null || !TOOL_NAME.matcher(tool.name()).matches()) {
            return Optional.empty();
        }
        CamelContext camel = context.get();
        return routeFor(camel, tool.name())
                .map(route -> new BoundTool(specification(camel, route, tool),
                        new RouteToolInvocation(producer(camel), tool.name(), route.getEndpoint())))
                .or(() -> Optional.ofNullable(builtIns.get(tool.name())));
    }

    /**
     * Every job names its tools again, but a route's declared schema file and a script's signature
     * do not change while the route lives: read them once, not on every job's path. A reloaded
     * route is a new {@link Route}, so its key differs.
     */
    private ToolSpecification specification(CamelContext camel, Route route, DeclaredTool tool) {
        if (specifications.size() >= MAX_CACHED_SPECIFICATIONS) {
            specifications.clear();
        }
        return specifications.computeIfAbsent(new SpecificationKey(route, tool),
                key -> ToolRouteSpecification.of(camel, route, tool));
    }

    private record SpecificationKey(Route route, DeclaredTool tool) {
    }

    private ProducerTemplate producer(CamelContext camel) {
        if (producer == null) {
            producerLock.lock();
            try {
                if (producer == null) {
                    producer = camel.createProducerTemplate();
                }
            } finally {
                producerLock.unlock();
            }
        }
        return producer;
    }

    private Optional<Route> routeFor(CamelContext camel, String toolName) {
        String uri = normalized(ENDPOINT_PREFIX + toolName);
        return camel.getRoutes().stream()
                .filter(route -> uri.equals(normalized(route.getEndpoint().getEndpointUri())))
                .findFirst();
    }

    private String normalized(String uri) {
        if (normalizedUris.size() >= MAX_CACHED_SPECIFICATIONS) {
            normalizedUris.clear();
        }
        return normalizedUris.computeIfAbsent(uri, CamelToolCatalog::normalize);
    }

    private static String normalize(String uri) {
        try {
            return URISupport.normalizeUri(uri);
        } catch (Exception e) {
            return uri;
        }
    }
}
