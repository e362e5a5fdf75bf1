"""Additions to the generated OpenAPI description (drf-spectacular's postprocessing hooks)."""

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong, in the reader's language."}},
    "required": ["detail"],
}
# A filter that was not understood: each parameter's messages.
INVALID = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}
RETRY_AFTER = {
    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before the next request."}
}


def _json(schema: dict, description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


ERRORS = {
    "400": _json(INVALID, "A parameter was not understood: its name, and why."),
    "401": _json(ERROR, "The API key sent is not valid or has been revoked (reading needs no key)."),
    "404": _json(ERROR, "No such object among the published ones, or no such page."),
    "429": _json(ERROR, "Too many requests from this address or key: wait as Retry-After says.", RETRY_AFTER),
}


def add_error_responses(result, generator, request, public):
    """Every operation can answer 400, 401, 404 and 429; say so, with their bodies."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, response in ERRORS.items():
                responses.setdefault(status, response)
    return result
