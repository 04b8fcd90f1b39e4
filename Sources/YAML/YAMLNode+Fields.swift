extension YAMLNode {
    /// The value of `key` in this mapping, or nil when the key is missing or its value is null (`~`, `null` or nothing).
    /// - Throws: ``YAMLError`` when this node is not a mapping.
    public func field(_ key: String) throws(YAMLError) -> YAMLNode? {
        guard case .mapping(let entries) = content else {
            throw YAMLError(message: "want a mapping, got \(kindDescription)", mark: mark)
        }
        guard let value = entries[key], value.scalarType != .null else { return nil }
        return value
    }

    /// The text of the scalar at `key` (any scalar: `port: 8080` reads as "8080"), or nil when missing or null.
    /// - Throws: ``YAMLError`` when this node is not a mapping, or the value is a list or a mapping.
    public func string(_ key: String) throws(YAMLError) -> String? {
        guard let value = try field(key) else { return nil }
        guard let text = value.text else {
            throw YAMLError(message: "\(key): want a string, got \(value.kindDescription)", mark: value.mark)
        }
        return text
    }

    /// The boolean at `key` (a plain `true`, `false` or another YAML 1.1 boolean word), or nil when missing or null.
    /// - Throws: ``YAMLError`` when this node is not a mapping, or the value is anything but a boolean.
    public func bool(_ key: String) throws(YAMLError) -> Bool? {
        guard let value = try field(key) else { return nil }
        guard value.scalarType == .boolean, let text = value.text, let bool = YAMLScalarType.boolean(text) else {
            throw YAMLError(message: "\(key): want true or false, got \(value.kindDescription)", mark: value.mark)
        }
        return bool
    }

    /// The items of the sequence at `key`, or an empty list when missing or null.
    /// - Throws: ``YAMLError`` when this node is not a mapping, or the value is not a list.
    public func list(_ key: String) throws(YAMLError) -> [YAMLNode] {
        guard let value = try field(key) else { return [] }
        guard let items = value.items else {
            throw YAMLError(message: "\(key): want a list, got \(value.kindDescription)", mark: value.mark)
        }
        return items
    }
}
