package io.bizmatters.agentexecutor.deployment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Kubernetes built-in kinds, checked through the fabric8 model: a value of the wrong type
 * fails to deserialize, and a field the model does not know (which fabric8 keeps in
 * additionalProperties) is an error, as under the API server's strict field validation.
 */
final class BuiltInKinds {

    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class));

    private static final Set<String> BUILT_IN_GROUPS = Set.of(
            "", "apps", "batch", "networking.k8s.io", "rbac.authorization.k8s.io", "policy", "autoscaling",
            "storage.k8s.io", "apiextensions.k8s.io", "admissionregistration.k8s.io", "coordination.k8s.io");

    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** No scalar coercion: the API server rejects "8080" where an integer belongs. */
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private BuiltInKinds() {
    }

    static boolean isBuiltInGroup(String group) {
        return BUILT_IN_GROUPS.contains(group);
    }

    static List<String> validate(JsonNode object) {
        String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        Class<?> model = MODELS.get(type);
        if (model == null) {
            return List.of("no model mapped for built-in " + type + " in BuiltInKinds");
        }
        List<String> errors = new ArrayList<>(strictRead(object, model, "$"));
        errors.addAll(objectMetaErrors(object.path("metadata")));
        return errors;
    }

    /** A fragment of a built-in kind (a pod template, an affinity) against its model, strictly. */
    static List<String> validateAs(JsonNode fragment, Class<?> model, String path) {
        return strictRead(fragment, model, path);
    }

    /** ObjectMeta fields, name syntax and label values, which every kind shares. */
    static List<String> objectMetaErrors(JsonNode metadata) {
        List<String> errors = new ArrayList<>(strictRead(metadata, ObjectMeta.class, "$.metadata"));
        String name = metadata.path("name").asText("");
        if (metadata.has("name") && (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches())) {
            errors.add("$.metadata.name: '" + name + "' is not a DNS-1123 subdomain");
        }
        metadata.path("labels").properties().forEach(label -> {
            String value = label.getValue().asText();
            if (!label.getValue().isTextual() || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
                errors.add("$.metadata.labels." + label.getKey() + ": '" + value + "' is not a valid label value");
            }
        });
        metadata.path("annotations").properties().forEach(annotation -> {
            if (!annotation.getValue().isTextual()) {
                errors.add("$.metadata.annotations." + annotation.getKey() + ": must be a string");
            }
        });
        return errors;
    }

    private static List<String> strictRead(JsonNode json, Class<?> model, String path) {
        List<String> errors = new ArrayList<>();
        try {
            collectUnknownFields(STRICT.treeToValue(json, model), path, errors);
        } catch (JsonMappingException e) {
            StringBuilder where = new StringBuilder(path);
            e.getPath().forEach(reference -> where.append(reference.getFieldName() != null
                    ? "." + reference.getFieldName() : "[" + reference.getIndex() + "]"));
            errors.add(where + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            errors.add(path + ": " + e.getOriginalMessage());
        }
        return errors;
    }

    private static void collectUnknownFields(Object value, String path, List<String> errors) {
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                collectUnknownFields(item, path + "[" + index++ + "]", errors);
            }
        } else if (value instanceof Map<?, ?> entries) {
            entries.forEach((key, entry) -> collectUnknownFields(entry, path + "." + key, errors));
        } else if (value != null && value.getClass().getName().startsWith("io.fabric8.")
                && !value.getClass().isEnum()) {
            for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())) {
                        continue;
                    }
                    Object fieldValue = read(field, value);
                    if (field.getName().equals("additionalProperties") && fieldValue instanceof Map<?, ?> unknown) {
                        unknown.keySet().forEach(key -> errors.add(path + "." + key + ": unknown field"));
                    } else {
                        collectUnknownFields(fieldValue, path + "." + field.getName(), errors);
                    }
                }
            }
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
