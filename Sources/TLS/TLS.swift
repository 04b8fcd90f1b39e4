/// The TLS layer of triggergate. Its contents arrive with the issue that builds it.
enum TLSModule {}
