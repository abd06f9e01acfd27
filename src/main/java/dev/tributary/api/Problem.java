package dev.tributary.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** RFC 7807 problem details, with the offending request field and, for 409, the existing resource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field, Long existingId) {
    public static final String MEDIA_TYPE = "application/problem+json";
}
