/// The optimal-string-alignment distance between two strings: insertions, deletions, substitutions and
/// transpositions of neighbours each cost 1. Used for did-you-mean suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var before = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                best = min(best, before[j - 2] + 1)
            }
            current[j] = best
        }
        (before, previous, current) = (previous, current, before)
    }
    return previous[b.count]
}

/// The candidate nearest to `word` (case-insensitively equal first, then by edit distance), when it is at most
/// `maxDistance` edits away; the first such candidate wins a tie.
func nearest(to word: String, in candidates: [String], maxDistance: Int) -> String? {
    let lowered = word.lowercased()
    if let same = candidates.first(where: { $0.lowercased() == lowered }) { return same }
    var best: (candidate: String, distance: Int)?
    for candidate in candidates where abs(candidate.count - word.count) <= maxDistance {
        let distance = editDistance(lowered, candidate.lowercased())
        if distance <= maxDistance, distance < (best?.distance ?? .max) { best = (candidate, distance) }
    }
    return best?.candidate
}
