internal import YAML

/// The YAML module's node events, under the name the trigger list builder reads them by.
typealias YAMLEvent = YAML.YAMLEvent

/// What a YAML scalar resolves to (the YAML module's rule), under the name the admission rules use.
typealias ScalarType = YAML.YAMLScalarType
