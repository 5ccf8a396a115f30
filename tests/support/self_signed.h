// A freshly generated key with a self-signed certificate, for tests and
// benchmarks that need a signer but not the NCA test material: the subject
// carries an IIN like an NCA individual's, so identity extraction works.
#pragma once

#include <string>

#include "qujat/common/time.h"
#include "qujat/pki/test_pki.h"

namespace qujat::test {

inline pki::KeyStore self_signed_signer(pki::KeyAlgorithm algorithm, const std::string& common_name,
                                        const char* not_before = "2024-01-01T00:00:00Z",
                                        const char* not_after = "2034-01-01T00:00:00Z") {
  auto key = pki::generate_key(algorithm, 2048);
  pki::CertificateRequest request;
  request.subject = {{"CN", common_name}, {"serialNumber", "IIN900101300018"}, {"C", "KZ"}};
  request.not_before = *parse_instant(not_before);
  request.not_after = *parse_instant(not_after);
  auto certificate = pki::issue_certificate(request, key.public_key(), nullptr, key);
  return pki::KeyStore{std::move(key), certificate, {}};
}

}  // namespace qujat::test
