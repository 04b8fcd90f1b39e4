#!/usr/bin/env python3
"""Scans one TLS server with sslyze and prints what it found as JSON, for TLSAuditTests to judge.

Usage: sslyze_audit.py HOST PORT CA_FILE
Output: {"protocols": {"SSL 2.0": [suite, ...], ..., "TLS 1.3": [...]}, "errors": [...],
         "client_renegotiation": bool, "secure_renegotiation": bool, "compression": bool,
         "chain": [PEM, ...], "chain_valid": bool}
Suites are IANA names; "chain" is what the server sent, leaf first; "chain_valid" is its validation against CA_FILE.
"""
import json
import sys
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding
from sslyze import (
    CertificateInfoExtraArgument,
    ScanCommand,
    ScanCommandAttemptStatusEnum,
    ScanCommandsExtraArguments,
    Scanner,
    ServerNetworkLocation,
    ServerScanRequest,
    ServerScanStatusEnum,
)

host, port, ca_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
protocols = {
    "SSL 2.0": ScanCommand.SSL_2_0_CIPHER_SUITES,
    "SSL 3.0": ScanCommand.SSL_3_0_CIPHER_SUITES,
    "TLS 1.0": ScanCommand.TLS_1_0_CIPHER_SUITES,
    "TLS 1.1": ScanCommand.TLS_1_1_CIPHER_SUITES,
    "TLS 1.2": ScanCommand.TLS_1_2_CIPHER_SUITES,
    "TLS 1.3": ScanCommand.TLS_1_3_CIPHER_SUITES,
}
commands = set(protocols.values()) | {
    ScanCommand.SESSION_RENEGOTIATION, ScanCommand.TLS_COMPRESSION, ScanCommand.CERTIFICATE_INFO}
request = ServerScanRequest(
    server_location=ServerNetworkLocation(hostname=host, port=port, ip_address="127.0.0.1"),
    scan_commands=commands,
    scan_commands_extra_arguments=ScanCommandsExtraArguments(
        certificate_info=CertificateInfoExtraArgument(custom_ca_file=Path(ca_file))),
)
scanner = Scanner()
scanner.queue_scans([request])
(result,) = list(scanner.get_results())
if result.scan_status != ServerScanStatusEnum.COMPLETED:
    print(json.dumps({"errors": [f"cannot connect: {result.connectivity_error_trace}"]}))
    sys.exit(0)

errors = []


def attempt(name):
    found = getattr(result.scan_result, name)
    if found.status != ScanCommandAttemptStatusEnum.COMPLETED:
        errors.append(f"{name}: {found.error_reason} {found.error_trace}")
        return None
    return found.result


report = {"protocols": {}}
for label, command in protocols.items():
    suites = attempt(command.value)
    report["protocols"][label] = [accepted.cipher_suite.name for accepted in suites.accepted_cipher_suites] if suites else None
renegotiation = attempt("session_renegotiation")
if renegotiation:
    report["client_renegotiation"] = renegotiation.is_vulnerable_to_client_renegotiation_dos
    report["secure_renegotiation"] = renegotiation.supports_secure_renegotiation
compression = attempt("tls_compression")
if compression:
    report["compression"] = compression.supports_compression
info = attempt("certificate_info")
if info:
    deployment = info.certificate_deployments[0]
    report["chain"] = [certificate.public_bytes(Encoding.PEM).decode() for certificate in deployment.received_certificate_chain]
    report["chain_valid"] = any(
        validation.trust_store.path == Path(ca_file) and validation.was_validation_successful
        for validation in deployment.path_validation_results)
report["errors"] = errors
print(json.dumps(report))
