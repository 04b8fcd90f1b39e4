// Fuzzes the annotation parsers: the trigger list (YAML through the fast path or libyaml, or JSON) and the wave numbers.
// Input: the trigger annotation value, then (after a NUL byte, if any) the sync-wave and block-wave values on two lines.
// Invariants: an accepted trigger list, written out as JSON, parses to the same triggers; the answer does not depend
// on the owner being known, except for the rules that need it; a wave accepted is the decimal it reads as; a value the
// fast path (`scanFlatListEvents`) scans, libyaml scans too, to the same events (marks included), and the answer for
// the job (triggers, or every problem with its place) is the one libyaml's events give.
@testable import Admission
import FuzzSupport
import JSON
import YAML

/// `triggers` as a JSON flow sequence, which is YAML too.
func written(_ triggers: [Trigger]) -> String {
    var writer = JSONWriter()
    writer.raw("[")
    for (index, trigger) in triggers.enumerated() {
        if index > 0 { writer.raw(",") }
        writer.raw("{\"apiVersion\":")
        writer.string(trigger.apiVersion)
        writer.raw(",\"kind\":")
        writer.string(trigger.kind)
        writer.raw(",\"name\":")
        writer.string(trigger.name)
        if let namespace = trigger.namespace {
            writer.raw(",\"namespace\":")
            writer.string(namespace)
        }
        writer.raw(",\"action\":")
        writer.string(trigger.action.rawValue)
        writer.raw("}")
    }
    writer.raw("]")
    return String(decoding: writer.bytes, as: UTF8.self)
}

fuzzMain { bytes in
    let parts = bytes.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
    let value = String(decoding: parts[0], as: UTF8.self)
    let triggers = try? Trigger.parseList(annotationValue: value)
    if let triggers {
        let text = written(triggers)
        guard let again = try? Trigger.parseList(annotationValue: text) else { fuzzFail("written triggers do not parse: \(text)") }
        if again != triggers { fuzzFail("written triggers parse differently: \(triggers) then \(again)") }
    }
    let owner = TriggerOwner(namespace: "team-a", name: "job")
    let checked = Trigger.check(value, owner: owner)
    if case .success = checked, triggers == nil {
        fuzzFail("a trigger list is valid for a job but invalid on its own: \(value.debugDescription)")
    }
    if let fast = scanFlatListEvents(value) {
        guard let slow = try? scanYAMLEvents(value) else { fuzzFail("the fast path scans what libyaml refuses: \(value.debugDescription)") }
        if fast != slow { fuzzFail("the fast path's events differ from libyaml's for \(value.debugDescription): \(fast) then \(slow)") }
        let fromLibYAML = Result { () throws(AnnotationProblems) in try Trigger.build(slow, owner: owner) }
        if fromLibYAML != checked { fuzzFail("the fast path's answer differs from libyaml's for \(value.debugDescription)") }
    }
    guard parts.count == 2 else { return }
    let waves = String(decoding: parts[1], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for (text, allowPlus) in [(waves[0], true), (waves.count > 1 ? waves[1] : "", false)] {
        guard let wave = WaveRules.parseInt32(text, allowPlus: allowPlus) else { continue }
        let digits = text.drop { $0 == "+" || $0 == "-" }.drop { $0 == "0" }
        if String(wave.magnitude) != (digits.isEmpty ? "0" : String(digits)) || (wave < 0) != (text.hasPrefix("-") && wave != 0) {
            fuzzFail("wave \(text.debugDescription) reads as \(wave)")
        }
    }
    var annotations = [AnnotationKeys.syncWave: waves[0]]
    if waves.count > 1 { annotations[AnnotationKeys.blockWave] = waves[1] }
    _ = WaveRules.problems(in: annotations)
}
