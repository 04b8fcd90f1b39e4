// Fuzzes the JSON reader, both ways it is used: the tree parser (`JSONValue(parsing:)`, behind every Kubernetes
// object) and `skipValue()` (how the admission decoder passes over the members it does not read).
// Invariants: each accepts exactly what a strict parser (StrictJSON) accepts, and a parsed value written out
// parses again to the same text.
import FuzzSupport
import JSON
import Kube

fuzzMain { bytes in
    let strict = StrictJSON.accepts(bytes, maxDepth: JSONReader.maxDepth)
    var reader = JSONReader(bytes)
    let skipped = (try? reader.skipValue()).flatMap { try? reader.expectEnd() } != nil
    if skipped != strict { fuzzFail("skipValue \(skipped ? "accepts" : "refuses") what a strict parser \(strict ? "accepts" : "refuses")") }
    guard let value = try? JSONValue(parsing: bytes) else {
        if strict { fuzzFail("JSONValue(parsing:) refuses what a strict parser accepts") }
        return
    }
    if !strict { fuzzFail("JSONValue(parsing:) accepts what a strict parser refuses") }
    let written = value.bytes
    guard let again = try? JSONValue(parsing: written) else { fuzzFail("the written value does not parse: \(value)") }
    if again.bytes != written { fuzzFail("writing is not stable: \(value) then \(again)") }
}
