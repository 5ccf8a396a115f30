// The XMLDSig benchmark fixture: a ~4 KB application signed with a fresh
// self-signed GOST 2015-512 or RSA-2048 key, and the raw signature of the
// same bytes. One per algorithm per process, shared by dsig_bench.cpp and
// the peers in peers_bench.cpp, so ours and the peers verify the same thing.
// With $QUJAT_BENCH_FIXTURES set, the signed document, the raw signature and
// the certificate are also written there for the peers that run as separate
// programs (xmlsec1; scripts/bench --report).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "qujat/dsig/xmldsig.h"
#include "qujat/pki/test_pki.h"

namespace qujat::bench {

struct DsigBenchFixture {
  std::string document;  // unsigned, ~4 KB
  std::string signed_xml;
  pki::Certificate certificate;
  pki::PublicKey public_key;
  pki::SignatureAlgorithm algorithm{};
  Bytes raw_signature;  // of `document`, NCA wire format
};

inline std::string four_kb_application() {
  std::string xml =
      "<application xmlns=\"urn:qujat:application\" kind=\"export-licence\"><applicant bin=\"123456789021\">ТОО "
      "Тест</applicant><goods>";
  int i = 0;
  while (xml.size() < 4000) {
    xml += "<item n=\"" + std::to_string(++i) +
           "\"><hs>3102300000</hs><name>Аммиак селитрасы / Аммиачная селитра</name><qty unit=\"kg\">1000</qty></item>";
  }
  return xml + "</goods></application>";
}

// Where fixtures for outside programs go; empty when not asked for.
inline std::filesystem::path fixtures_dir() {
  const char* dir = std::getenv("QUJAT_BENCH_FIXTURES");
  if (dir == nullptr || *dir == '\0') return {};
  std::filesystem::create_directories(dir);
  return dir;
}

inline const DsigBenchFixture& dsig_fixture(pki::KeyAlgorithm algorithm) {
  static std::map<pki::KeyAlgorithm, DsigBenchFixture> cache;
  auto it = cache.find(algorithm);
  if (it != cache.end()) return it->second;
  auto key = pki::generate_key(algorithm, 2048);
  pki::CertificateRequest req;
  req.subject = {{"CN", "BENCH SIGNER"}, {"serialNumber", "IIN900101300018"}, {"C", "KZ"}};
  req.not_before = *parse_instant("2024-01-01T00:00:00Z");
  req.not_after = *parse_instant("2034-01-01T00:00:00Z");
  auto cert = pki::issue_certificate(req, key.public_key(), nullptr, key);
  const std::string document = four_kb_application();
  const auto algorithm_of_key = key.default_signature();
  Bytes raw_signature = key.sign(algorithm_of_key, as_bytes(document));
  auto public_key = key.public_key();
  pki::KeyStore ks{std::move(key), cert, {}};
  DsigBenchFixture f{.document = document,
                     .signed_xml = dsig::sign_xml(document, ks),
                     .certificate = cert,
                     .public_key = std::move(public_key),
                     .algorithm = algorithm_of_key,
                     .raw_signature = std::move(raw_signature)};
  if (const auto dir = fixtures_dir(); !dir.empty()) {
    const std::string stem = (dir / (algorithm == pki::KeyAlgorithm::Rsa ? "rsa-2048" : "gost2015-512")).string();
    write_file(stem + "-4k-signed.xml", as_bytes(f.signed_xml));
    const std::string pem =
        "-----BEGIN CERTIFICATE-----\n" + base64_encode_wrapped(cert.der(), 64, "\n") + "\n-----END CERTIFICATE-----\n";
    write_file(stem + "-cert.pem", as_bytes(pem));
  }
  return cache.emplace(algorithm, std::move(f)).first->second;
}

}  // namespace qujat::bench
