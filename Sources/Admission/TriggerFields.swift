/// The fields of one trigger item as written, before the field rules run: one optional string per name in
/// ``Trigger/fields``, read and written by position in that list.
struct TriggerFields {
    var apiVersion: String?
    var kind: String?
    var name: String?
    var namespace: String?
    var action: String?
    /// Where each field's value starts in the annotation value, by position in ``Trigger/fields``.
    var places = InlineArray<5, ValuePlace?>(repeating: nil)
    /// The positions (in ``Trigger/fields``) of the fields the item wrote, whatever their values.
    private var written: UInt8 = 0

    /// The value of the field at `position` in ``Trigger/fields``.
    subscript(position: Int) -> String? {
        get {
            switch position {
            case 0: apiVersion
            case 1: kind
            case 2: name
            case 3: namespace
            default: action
            }
        }
        set {
            switch position {
            case 0: apiVersion = newValue
            case 1: kind = newValue
            case 2: name = newValue
            case 3: namespace = newValue
            default: action = newValue
            }
        }
    }

    /// Records that the item wrote the field at `position`, with a string or any other value.
    mutating func markWritten(_ position: Int) {
        written |= 1 << position
    }

    /// Whether the item wrote the field at `position` at all.
    func isWritten(_ position: Int) -> Bool {
        written & 1 << position != 0
    }

    /// The trigger, when every required field is present and the action is known.
    var trigger: Trigger? {
        guard let apiVersion, let kind, let name, let action = action.flatMap(TriggerAction.init(rawValue:)) else { return nil }
        return Trigger(apiVersion: apiVersion, kind: kind, name: name, namespace: namespace, action: action)
    }
}
