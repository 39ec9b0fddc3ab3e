package io.bizmatters.agentexecutor.agent.tools;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.internal.JsonSchemaElementJsonUtils;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import io.bizmatters.agentexecutor.agent.definition.DeclaredTool;
import io.bizmatters.agentexecutor.agent.tools.python.PythonToolSignature;
import io.bizmatters.agentexecutor.failure.JobFailure;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * What the model is told about a route-bound tool. The operator's declaration wins over what the
 * definition's Python script implies: the route's {@code description}, and the JSON schema in
 * {@code <tool name>.schema.json} beside the route's YAML file. Whatever the operator leaves out
 * is read from the Python signature, if the definition carries one.
 */
final class ToolRouteSpecification {
    static final String SCHEMA_SUFFIX = ".schema.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Schema annotations a model does not need; langchain4j's typed schema has no place for them. */
    private static final List<String> ANNOTATIONS = List.of("$schema", "$id", "title");

    private ToolRouteSpecification() {
    }

    static ToolSpecification of(CamelContext camel, Route route, DeclaredTool tool) {
        Optional<PythonToolSignature> python = PythonToolSignature.read(tool.pythonScript(), tool.name());
        String description = route.getDescription() != null && !route.getDescription().isBlank()
                ? route.getDescription().strip()
                : python.map(PythonToolSignature::description).orElse(null);
        Map<String, Object> parameters = declaredSchema(camel, route, tool.name())
                .or(() -> python.map(PythonToolSignature::parameters))
                .orElseGet(ToolRouteSpecification::noParameters);
        return ToolSpecification.builder()
                .name(tool.name())
                .description(description)
                .parameters(objectSchema(tool.name(), parameters))
                .build();
    }

    private static Optional<Map<String, Object>> declaredSchema(CamelContext camel, Route route, String toolName) {
        Resource routeSource = route.getSourceResource();
        if (routeSource == null || routeSource.getLocation() == null) {
            return Optional.empty();
        }
        for (String location : schemaLocations(routeSource.getLocation(), toolName + SCHEMA_SUFFIX)) {
            Resource schema = PluginHelper.getResourceLoader(camel).resolveResource(location);
            if (schema != null && schema.exists()) {
                return Optional.of(read(schema, toolName));
            }
        }
        return Optional.empty();
    }

    /**
     * Where the schema beside a route file may be found. Camel Main reports a route packaged in the
     * service's jar as {@code file:/app.jar!/routes/tools/x.camel.yaml}, which its resource loader
     * cannot open, so the path inside the jar is also tried on the classpath.
     */
    static List<String> schemaLocations(String routeLocation, String fileName) {
        int slash = routeLocation.lastIndexOf('/');
        int scheme = routeLocation.indexOf(':');
        String sibling = routeLocation.substring(0, Math.max(slash, scheme) + 1) + fileName;
        int insideJar = sibling.indexOf("!/");
        return insideJar < 0 ? List.of(sibling) : List.of(sibling, "classpath:" + sibling.substring(insideJar + 2));
    }

    private static Map<String, Object> read(Resource schema, String toolName) {
        try (InputStream in = schema.getInputStream()) {
            Map<String, Object> parsed = JSON.readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {
            });
            ANNOTATIONS.forEach(parsed::remove);
            return parsed;
        } catch (IOException e) {
            throw new JobFailure("tool " + toolName + ": " + schema.getLocation() + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static JsonObjectSchema objectSchema(String toolName, Map<String, Object> schema) {
        JsonSchemaElement element;
        try {
            element = JsonSchemaElementJsonUtils.fromMap(schema);
        } catch (IllegalArgumentException e) {
            throw new JobFailure("tool " + toolName + ": its parameter schema is malformed: " + e.getMessage(), e);
        }
        if (element instanceof JsonObjectSchema object) {
            return object;
        }
        throw new JobFailure("tool " + toolName + ": its parameter schema must be a JSON object schema"
                + " ({\"type\":\"object\",\"properties\":{...}}) without extra keywords at the top level");
    }

    private static Map<String, Object> noParameters() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", new LinkedHashMap<>());
        return schema;
    }
}
