// What every fuzz target shares: the public NCA test PKI the verifiers trust
// (so mutated real signatures reach the chain and revocation checks, not
// only the parsers), a fixed time of the check (runs are reproducible), a
// scratch file for the APIs that read files, and the invariants a report of
// hostile input must keep. Used by the libFuzzer build and the CTest replay
// alike (tests/fuzz/README.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "qujat/common/bytes.h"
#include "qujat/dsig/report.h"
#include "qujat/dsig/verify_options.h"
#include "qujat/pki/certificate.h"

namespace qujat::fuzz {

// tests/fuzz/data in the source tree.
std::string data_path(const std::string& relative);

// 2022-10-01T00:00:00Z: inside the GOST 2015 test keys' validity and the
// GOST 2022 test CRL's.
Instant check_time();

// Trust anchors: the three NCA test CAs; revocation: their CRLs and the
// real OCSP responses. Built once; `signing_key` false for transport
// (WS-Security) signatures.
const dsig::VerifyOptions& nca_verify_options(bool require_signing_key = true);

// A certificate of the NCA test material and its issuing CA, for the
// revocation targets (CRL and OCSP answers are about such a pair).
struct IssuedPair {
  pki::Certificate holder;
  pki::Certificate issuer;
};
const std::vector<IssuedPair>& nca_pairs();
const std::vector<pki::Certificate>& nca_anchors();

// Writes `data` to this process's scratch file and returns its path (for
// RevocationChecker::add_crl_file and the like, which take paths only).
const std::string& scratch_file(ByteView data);

// Reads and words a report as `qujat verify` would print it, and checks what
// must hold for any input: valid implies readable and signed; a malformed
// input is never valid; every failure is explained. Aborts when broken.
void exercise(const dsig::VerificationReport& report);

// Aborts with `what` on stderr: a broken invariant is a finding like a crash.
[[noreturn]] void broken(const std::string& what);

inline ByteView input(const std::uint8_t* data, std::size_t size) { return {data, size}; }

}  // namespace qujat::fuzz

// The libFuzzer entry point every target defines (the replay driver calls it too).
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
