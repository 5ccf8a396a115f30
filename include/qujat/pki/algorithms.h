// The algorithms met in Kazakhstan's national PKI (NCA RK), with their OIDs
// and XMLDSig URIs (facts: ../shared/docs/KZ-PKI.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace qujat::pki {

enum class KeyAlgorithm { Gost2015_512, Gost2015_256, Gost2004, Rsa, Unknown };

enum class DigestAlgorithm { Streebog512, Streebog256, Sha256, Sha1, Gost34311_95 };

enum class SignatureAlgorithm { Gost2015_512, Gost2015_256, Gost2004, RsaSha256, RsaSha1 };

// "gost2015-512", "gost2015-256", "gost2004", "rsa-sha256", "rsa-sha1" (the
// names of the verify --json report).
std::string_view name(SignatureAlgorithm a);
std::string_view name(KeyAlgorithm a);
DigestAlgorithm digest_of(SignatureAlgorithm a);

// XMLDSig URIs of NCALayer/Kalkan and the W3C.
std::string_view signature_uri(SignatureAlgorithm a);
std::string_view digest_uri(DigestAlgorithm a);
std::optional<SignatureAlgorithm> signature_from_uri(std::string_view uri);
std::optional<DigestAlgorithm> digest_from_uri(std::string_view uri);

// Dotted OIDs (CMS, X.509).
std::string_view signature_oid(SignatureAlgorithm a);
std::string_view digest_oid(DigestAlgorithm a);
std::optional<SignatureAlgorithm> signature_from_oid(std::string_view oid);
std::optional<DigestAlgorithm> digest_from_oid(std::string_view oid);

// The signature algorithm a key of this kind makes by default (NCALayer's choice).
SignatureAlgorithm default_signature(KeyAlgorithm k);

}  // namespace qujat::pki
