"""JSON merge patch (RFC 7386) and JSON patch (RFC 6902), as the API server applies them."""

import copy


class PatchError(Exception):
    """A JSON patch that cannot be applied; the server answers 422."""


def merge_patch(target, patch):
    """Applies an RFC 7386 merge patch and returns the new document (the inputs are not modified)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _unescape(token):
    return token.replace("~1", "/").replace("~0", "~")


def _split(pointer):
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PatchError("bad JSON pointer %r" % pointer)
    return [_unescape(token) for token in pointer[1:].split("/")]


def _parent(document, tokens):
    node = document
    for token in tokens[:-1]:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise PatchError("path not found")
    return node


def _get(document, tokens):
    if not tokens:
        return document
    parent = _parent(document, tokens)
    last = tokens[-1]
    if isinstance(parent, dict) and last in parent:
        return parent[last]
    if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        return parent[int(last)]
    raise PatchError("path not found")


def _remove(document, tokens):
    parent = _parent(document, tokens)
    last = tokens[-1]
    if isinstance(parent, dict) and last in parent:
        return parent.pop(last)
    if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        return parent.pop(int(last))
    raise PatchError("path not found")


def _add(document, tokens, value):
    if not tokens:
        return value
    parent = _parent(document, tokens)
    last = tokens[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        if last == "-":
            parent.append(value)
        elif last.isdigit() and int(last) <= len(parent):
            parent.insert(int(last), value)
        else:
            raise PatchError("index out of range")
    else:
        raise PatchError("parent is not a container")
    return document


def json_patch(target, operations):
    """Applies an RFC 6902 patch; raises PatchError when an operation fails (a failed `test` included)."""
    if not isinstance(operations, list):
        raise PatchError("a JSON patch is a list of operations")
    document = copy.deepcopy(target)
    for operation in operations:
        if not isinstance(operation, dict) or "op" not in operation or "path" not in operation:
            raise PatchError("malformed operation")
        op, tokens = operation["op"], _split(operation["path"])
        if op == "test":
            # An absent path never equals a value, not even null (fixture 83).
            if _get(document, tokens) != operation.get("value"):
                raise PatchError("test failed")
        elif op == "remove":
            _remove(document, tokens)
        elif op == "add":
            document = _add(document, tokens, copy.deepcopy(operation.get("value")))
        elif op == "replace":
            _get(document, tokens)
            if tokens:
                _remove(document, tokens)
            document = _add(document, tokens, copy.deepcopy(operation.get("value")))
        elif op in ("move", "copy"):
            source = _split(operation.get("from", ""))
            value = _remove(document, source) if op == "move" else copy.deepcopy(_get(document, source))
            document = _add(document, tokens, value)
        else:
            raise PatchError("unknown op %r" % op)
    return document
