// WS-Security (OASIS 2004) signatures on SOAP 1.1 envelopes, the "transport
// signature" of Kazakh e-government exchanges (the MFA exchange uses it):
// wsse:Security with a BinarySecurityToken, wsu:Timestamp, and a ds:Signature
// over soap:Body and wsu:Timestamp by wsu:Id references (exclusive C14N).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "qujat/dsig/report.h"
#include "qujat/dsig/verify_options.h"
#include "qujat/pki/pkcs12.h"

namespace qujat::dsig {

struct WssSignOptions {
  std::chrono::seconds timestamp_lifetime{300};
  std::optional<Instant> created;  // now when absent
};

// Returns the envelope with wsse:Security added to soap:Header (created
// when absent). Throws qujat::Error("wss.*").
std::string wss_sign(std::string_view soap_envelope, const pki::KeyStore& signer, const WssSignOptions& options = {});

// Checks the signature covers soap:Body and wsu:Timestamp, that the
// Timestamp is current at options.at (or now), and the signer certificate
// (from the BinarySecurityToken). Never throws for bad input.
VerificationReport wss_verify(std::string_view soap_envelope, const VerifyOptions& options);

}  // namespace qujat::dsig
