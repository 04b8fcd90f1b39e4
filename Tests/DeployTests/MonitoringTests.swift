import Foundation
import Server
import Testing
import TestSupport

/// The Grafana dashboard and the alerts (README, Dashboard; docs/monitoring.md): every query names a family that
/// triggergate exports (``MetricCatalog``), and `deploy/monitoring` and the chart install the same files.
@Suite(.tags(.integration)) struct MonitoringTests {
    static let folder = deployRoot.appendingPathComponent("monitoring")
    static let dashboardFile = folder.appendingPathComponent("grafana-dashboard.json")

    /// The metric families a PromQL expression names: every `triggergate_…` identifier, without a histogram's
    /// `_bucket`, `_sum` or `_count`.
    static func families(in expression: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: "triggergate_[a-z_]+")
        return regex.matches(in: expression, range: NSRange(expression.startIndex..., in: expression)).map { match in
            var name = String(expression[Range(match.range, in: expression)!])
            for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) && MetricCatalog.help[name] == nil {
                name = String(name.dropLast(suffix.count))
            }
            return name
        }
    }

    static func dashboard() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dashboardFile)) as? [String: Any])
    }

    @Test func everyPanelQueriesAMetricTriggergateExports() throws {
        let panels = try #require(try Self.dashboard()["panels"] as? [[String: Any]])
        #expect(Set(panels.compactMap { $0["title"] as? String }) == [
            "Admission requests by webhook and result", "Denials by webhook", "Admission latency p50 and p99", "Wave gate decisions",
            "Triggers by action and result", "Trigger latency p50 and p99", "Watch restarts", "Watch caches", "Leader replicas",
            "Certificate expiry", "Application status writes and Events",
        ])
        #expect(Set(panels.compactMap { $0["id"] as? Int }).count == panels.count, "panel ids are unique")
        for panel in panels {
            let title = panel["title"] as? String ?? "?"
            let expressions = (panel["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String }
            #expect(!expressions.isEmpty, "\(title) has no query")
            for expression in expressions {
                let names = Self.families(in: expression)
                #expect(!names.isEmpty, "\(title): \(expression) names no triggergate metric")
                for name in names { #expect(MetricCatalog.help[name] != nil, "\(title): \(name) is not a metric triggergate exports") }
            }
        }
    }

    @Test func theReadmeListsEveryPanel() throws {
        let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        for panel in try #require(try Self.dashboard()["panels"] as? [[String: Any]]) {
            let title = panel["title"] as? String ?? "?"
            #expect(readme.contains("**\(title)**"), "README does not list the panel \(title)")
        }
    }

    @Test func theAlertsAreTheFourTheIssueAsksForAndQueryExportedMetrics() throws {
        let rule = try object("PrometheusRule", in: try manifestObjects(try String(contentsOf: Self.folder.appendingPathComponent("prometheus-rule.yaml"), encoding: .utf8)))
        let rules = ((rule.at("spec.groups") as? [Object])?.first?["rules"] as? [Object]) ?? []
        #expect(rules.compactMap { $0["alert"] as? String } == [
            "TriggergateWebhookErrors", "TriggergateCertificateExpiresSoon", "TriggergateNoLeader", "TriggergateTriggersFailing",
        ])
        for rule in rules {
            let expression = rule["expr"] as? String ?? ""
            #expect(!Self.families(in: expression).isEmpty && Self.families(in: expression).allSatisfy { MetricCatalog.help[$0] != nil }, "\(expression)")
            #expect(rule.at("annotations.summary") is String && rule.at("labels.severity") is String)
        }
        #expect(rules.first { $0["alert"] as? String == "TriggergateNoLeader" }?["for"] as? String == "5m")
    }

    @Test func theChartAndDeployInstallTheSameDashboardRuleAndNotifications() async throws {
        let chart = try manifestObjects(try await renderChart([
            "--set", "grafanaDashboard.enabled=true", "--set", "prometheusRule.enabled=true", "--set", "notifications.enabled=true",
        ]))
        let kustomize = try manifestObjects(try await renderKustomization(Self.folder))
        let file = try String(contentsOf: Self.dashboardFile, encoding: .utf8)
        let chartDashboard = try object("ConfigMap", named: "triggergate-grafana-dashboard", in: chart)
        let deployDashboard = try object("ConfigMap", named: "triggergate-grafana-dashboard", in: kustomize)
        for dashboard in [chartDashboard, deployDashboard] {
            #expect((dashboard.at("metadata.labels") as? [String: String])?["grafana_dashboard"] == "1")
            #expect(((dashboard["data"] as? [String: String])?["triggergate.json"])?.trimmingCharacters(in: .whitespacesAndNewlines) == file.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(same(try object("PrometheusRule", in: chart)["spec"], try object("PrometheusRule", in: kustomize)["spec"]))

        let example = try object("ConfigMap", in: try manifestObjects(try String(
            contentsOf: deployRoot.appendingPathComponent("examples/argocd-notifications-cm.yaml"), encoding: .utf8)))
        let patch = try #require((try object("ConfigMap", named: "triggergate-argocd-notifications", in: chart)["data"] as? [String: String])?["argocd-notifications-cm-patch.json"])
        let patched = try #require(try JSONSerialization.jsonObject(with: Data(patch.utf8)) as? [String: Any])
        #expect(same(patched["data"], example["data"]))
        #expect(Set((example["data"] as? [String: String] ?? [:]).keys) == [
            "trigger.on-notebook-failed", "trigger.on-notebook-succeeded", "trigger.on-notebook-trigger-failed",
            "template.notebook-failed", "template.notebook-succeeded", "template.notebook-trigger-failed",
        ])
        #expect(!chart.contains { $0.name == "argocd-notifications-cm" }, "the chart never owns argocd-notifications-cm")
    }
}

extension MonitoringTests {
    @Test func theDocsListEveryFamilyOfTheCatalog() throws {
        let docs = try String(contentsOf: packageRoot.appendingPathComponent("docs/monitoring.md"), encoding: .utf8)
        for name in MetricCatalog.help.keys.sorted() { #expect(docs.contains("| `\(name)` |"), "docs/monitoring.md does not list \(name)") }
    }
}
