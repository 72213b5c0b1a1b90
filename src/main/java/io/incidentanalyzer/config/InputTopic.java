package io.incidentanalyzer.config;

import java.io.Serializable;
import java.util.List;

/**
 * An input topic, the format its records are written in, and how that format's records name a
 * service where they do not carry the analyzer's own field for it.
 *
 * @param serviceFrom the labels, tags or attributes that name the service, tried in order (the
 *     first present wins); null for the format's default (docs/formats.md, "Producer formats")
 * @param service the service of a record none of whose {@code serviceFrom} keys is present; for
 *     formats without any (Keycloak's events) the service that logged them. Null: such a record is
 *     rejected, or for Keycloak the service is {@code keycloak}
 * @param timestampUnits {@code telegraf-json} only: the unit of its integer {@code timestamp}, as
 *     Telegraf's {@code json_timestamp_units} (1ns, 1us, 1ms, 1s); null for 1s, Telegraf's default
 */
public record InputTopic(
        String name,
        InputFormat format,
        List<String> serviceFrom,
        String service,
        String timestampUnits)
        implements Serializable {

    public InputTopic {
        format = format == null ? InputFormat.NATIVE_JSON : format;
        serviceFrom = serviceFrom == null ? null : List.copyOf(serviceFrom);
    }

    /** A topic of {@code format} with that format's defaults. */
    public InputTopic(String name, InputFormat format) {
        this(name, format, null, null, null);
    }
}
