// An X.509 certificate from outside (KeyInfo, a CMS, a --trust file): DER
// and PEM parsing, every accessor (the KZ identity OIDs, policies, URLs, the
// key, GOST included), the signature against each NCA test CA and a chain
// check. Parsing may refuse with qujat::Error; nothing else may escape.
#include "fuzz/fuzz_support.h"
#include "qujat/common/error.h"
#include "qujat/pki/chain.h"

namespace {

using namespace qujat;

void read_everything(const pki::Certificate& c) {
  (void)c.der();
  (void)c.subject();
  (void)c.issuer();
  (void)c.serial_hex();
  (void)c.not_before();
  (void)c.not_after();
  (void)c.is_ca();
  (void)c.key_usage();
  (void)c.extended_key_usage();
  (void)c.policies();
  (void)c.crl_urls();
  (void)c.ocsp_urls();
  (void)c.ca_issuer_urls();
  (void)c.signature_algorithm();
  (void)c.identity();
  try {
    (void)c.key_algorithm();
    (void)c.public_key();
  } catch (const Error&) {
  }
  (void)c.is_signed_by(c);
  for (const auto& ca : fuzz::nca_anchors()) (void)c.is_signed_by(ca);
  pki::TrustStore trust;
  for (const auto& ca : fuzz::nca_anchors()) trust.add_anchor(ca);
  (void)pki::verify_chain(c, trust, fuzz::check_time());
  (void)pki::time_status(c, fuzz::check_time());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView in = fuzz::input(data, size);
  try {
    read_everything(pki::Certificate::from_der(in));
  } catch (const Error&) {
  }
  // PEM (and DER again) the way --trust and --ca files are read.
  if (as_chars(in).find("-----BEGIN") != std::string_view::npos) {
    try {
      for (const auto& c : pki::Certificate::load_all(fuzz::scratch_file(in))) read_everything(c);
    } catch (const Error&) {
    }
  }
  return 0;
}
