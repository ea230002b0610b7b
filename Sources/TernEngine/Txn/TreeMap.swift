// TreeMap: a transaction's per-database bookkeeping (write sets, lock
// counts), keyed by TreeIdentity.
//
// Nearly every transaction touches one database, a few touch several, none
// touches many: so the first entry lives inline and the others in an array
// searched linearly. A one-database transaction allocates nothing here and
// hashes nothing, where a Dictionary allocated its storage and hashed the
// identity on every lookup (about a tenth of a one-put transaction's
// instructions went to the four dictionaries this replaces).
//
// Order: entries iterate in insertion order.
// Locking rule: a value type, owned by one Transaction (one thread at a time).
struct TreeMap<Value> {
    private var firstID = TreeIdentity(fileID: 0, metaPage: 0)
    private var firstValue: Value?
    private var rest: [(id: TreeIdentity, value: Value)] = []

    var isEmpty: Bool { firstValue == nil }

    subscript(id: TreeIdentity) -> Value? {
        get {
            if let v = firstValue, firstID == id { return v }
            if rest.isEmpty { return nil }
            for e in rest where e.id == id { return e.value }
            return nil
        }
        set {
            if firstValue != nil, firstID == id {
                if let newValue { firstValue = newValue; return }
                // Removing the inline entry: the first of the rest moves in.
                if rest.isEmpty { firstValue = nil } else {
                    let e = rest.removeFirst()
                    firstID = e.id
                    firstValue = e.value
                }
                return
            }
            if let i = rest.firstIndex(where: { $0.id == id }) {
                if let newValue { rest[i].value = newValue } else { rest.remove(at: i) }
                return
            }
            guard let newValue else { return }
            if firstValue == nil { firstID = id; firstValue = newValue } else { rest.append((id, newValue)) }
        }
    }

    subscript(id: TreeIdentity, default value: @autoclosure () -> Value) -> Value {
        get { self[id] ?? value() }
        set { self[id] = newValue }
    }

    mutating func removeAll() {
        firstValue = nil
        rest.removeAll()
    }

    /// (identity, value) pairs in insertion order.
    var entries: [(id: TreeIdentity, value: Value)] {
        guard let v = firstValue else { return [] }
        return [(firstID, v)] + rest
    }

    var values: [Value] { entries.map(\.value) }

    /// The value when there is exactly one entry (no array built).
    var single: Value? { rest.isEmpty ? firstValue : nil }
}
