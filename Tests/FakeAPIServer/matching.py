"""Label and field selectors (equality-based, as the reconciler uses them)."""


def _terms(selector):
    return [term.strip() for term in (selector or "").split(",") if term.strip()]


def _label_term(term):
    if term.startswith("!"):
        key = term[1:]
        return lambda labels: key not in labels
    for operator in ("!=", "==", "="):
        if operator in term:
            key, value = term.split(operator, 1)
            key, value = key.strip(), value.strip()
            if operator == "!=":
                return lambda labels: labels.get(key) != value
            return lambda labels: labels.get(key) == value
    return lambda labels: term in labels


def _field_value(obj, field):
    node = obj
    for part in field.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return "" if node is None else str(node)


def _field_term(term):
    operator = "!=" if "!=" in term else ("==" if "==" in term else "=")
    field, value = term.split(operator, 1)
    if operator == "!=":
        return lambda obj: _field_value(obj, field.strip()) != value.strip()
    return lambda obj: _field_value(obj, field.strip()) == value.strip()


def matcher(namespace, label_selector, field_selector):
    """A predicate over objects: in `namespace` (None = all) and matching both selectors."""
    labels = [_label_term(t) for t in _terms(label_selector)]
    fields = [_field_term(t) for t in _terms(field_selector)]

    def matches(obj):
        meta = obj.get("metadata", {})
        if namespace is not None and meta.get("namespace", "") != namespace:
            return False
        object_labels = meta.get("labels") or {}
        return all(t(object_labels) for t in labels) and all(t(obj) for t in fields)

    return matches
