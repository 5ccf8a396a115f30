#include "qujat/pki/algorithms.h"

#include <array>

namespace qujat::pki {
namespace {

struct SignatureEntry {
  SignatureAlgorithm algorithm;
  std::string_view name;
  std::string_view uri;
  std::string_view oid;
  DigestAlgorithm digest;
};

constexpr std::array<SignatureEntry, 5> kSignatures{{
    {SignatureAlgorithm::Gost2015_512, "gost2015-512",
     "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512", "1.2.398.3.10.1.1.2.3.2",
     DigestAlgorithm::Streebog512},
    {SignatureAlgorithm::Gost2015_256, "gost2015-256",
     "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-256", "1.2.398.3.10.1.1.2.3.1",
     DigestAlgorithm::Streebog256},
    {SignatureAlgorithm::Gost2004, "gost2004", "http://www.w3.org/2001/04/xmldsig-more#gost34310-gost34311",
     "1.2.398.3.10.1.1.1.2", DigestAlgorithm::Gost34311_95},
    {SignatureAlgorithm::RsaSha256, "rsa-sha256", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
     "1.2.840.113549.1.1.11", DigestAlgorithm::Sha256},
    {SignatureAlgorithm::RsaSha1, "rsa-sha1", "http://www.w3.org/2000/09/xmldsig#rsa-sha1", "1.2.840.113549.1.1.5",
     DigestAlgorithm::Sha1},
}};

struct DigestEntry {
  DigestAlgorithm algorithm;
  std::string_view uri;
  std::string_view oid;
};

constexpr std::array<DigestEntry, 5> kDigests{{
    {DigestAlgorithm::Streebog512, "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512",
     "1.2.398.3.10.1.3.3"},
    {DigestAlgorithm::Streebog256, "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-256",
     "1.2.398.3.10.1.3.2"},
    {DigestAlgorithm::Sha256, "http://www.w3.org/2001/04/xmlenc#sha256", "2.16.840.1.101.3.4.2.1"},
    {DigestAlgorithm::Sha1, "http://www.w3.org/2000/09/xmldsig#sha1", "1.3.14.3.2.26"},
    {DigestAlgorithm::Gost34311_95, "http://www.w3.org/2001/04/xmldsig-more#gost34311", "1.2.398.3.10.1.3.1"},
}};

const SignatureEntry& entry(SignatureAlgorithm a) {
  for (const auto& e : kSignatures)
    if (e.algorithm == a) return e;
  return kSignatures[0];  // unreachable: the table covers the enum
}

const DigestEntry& entry(DigestAlgorithm a) {
  for (const auto& e : kDigests)
    if (e.algorithm == a) return e;
  return kDigests[0];
}

}  // namespace

std::string_view name(SignatureAlgorithm a) { return entry(a).name; }

std::string_view name(KeyAlgorithm a) {
  switch (a) {
    case KeyAlgorithm::Gost2015_512:
      return "gost2015-512";
    case KeyAlgorithm::Gost2015_256:
      return "gost2015-256";
    case KeyAlgorithm::Gost2004:
      return "gost2004";
    case KeyAlgorithm::Rsa:
      return "rsa";
    case KeyAlgorithm::Unknown:
      break;
  }
  return "unknown";
}

DigestAlgorithm digest_of(SignatureAlgorithm a) { return entry(a).digest; }

std::string_view signature_uri(SignatureAlgorithm a) { return entry(a).uri; }
std::string_view digest_uri(DigestAlgorithm a) { return entry(a).uri; }
std::string_view signature_oid(SignatureAlgorithm a) { return entry(a).oid; }
std::string_view digest_oid(DigestAlgorithm a) { return entry(a).oid; }

std::optional<SignatureAlgorithm> signature_from_uri(std::string_view uri) {
  for (const auto& e : kSignatures)
    if (e.uri == uri) return e.algorithm;
  return std::nullopt;
}

std::optional<DigestAlgorithm> digest_from_uri(std::string_view uri) {
  for (const auto& e : kDigests)
    if (e.uri == uri) return e.algorithm;
  return std::nullopt;
}

std::optional<SignatureAlgorithm> signature_from_oid(std::string_view oid) {
  for (const auto& e : kSignatures)
    if (e.oid == oid) return e.algorithm;
  // rsaEncryption in a CMS SignerInfo means "RSA with the SignerInfo's digest";
  // callers that care pass the digest separately, SHA-256 is NCA's choice.
  if (oid == "1.2.840.113549.1.1.1") return SignatureAlgorithm::RsaSha256;
  return std::nullopt;
}

std::optional<DigestAlgorithm> digest_from_oid(std::string_view oid) {
  for (const auto& e : kDigests)
    if (e.oid == oid) return e.algorithm;
  // The Russian TC26 OIDs name the same Streebog functions.
  if (oid == "1.2.643.7.1.1.2.3") return DigestAlgorithm::Streebog512;
  if (oid == "1.2.643.7.1.1.2.2") return DigestAlgorithm::Streebog256;
  return std::nullopt;
}

SignatureAlgorithm default_signature(KeyAlgorithm k) {
  switch (k) {
    case KeyAlgorithm::Gost2015_512:
      return SignatureAlgorithm::Gost2015_512;
    case KeyAlgorithm::Gost2015_256:
      return SignatureAlgorithm::Gost2015_256;
    case KeyAlgorithm::Gost2004:
      return SignatureAlgorithm::Gost2004;
    case KeyAlgorithm::Rsa:
    case KeyAlgorithm::Unknown:
      break;
  }
  return SignatureAlgorithm::RsaSha256;
}

}  // namespace qujat::pki
