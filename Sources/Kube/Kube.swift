/// The Kube layer of triggergate. Its contents arrive with the issue that builds it.
enum KubeModule {}
