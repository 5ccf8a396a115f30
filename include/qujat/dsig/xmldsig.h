// XML signatures the way NCALayer/Kalkan make them (enveloped, URI="",
// GOST 34.10-2015 or RSA by key type, co-signatures as siblings) and their
// verification through xmlsec with the KZ algorithms registered as klasses.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "qujat/dsig/report.h"
#include "qujat/dsig/verify_options.h"
#include "qujat/pki/pkcs12.h"

namespace qujat::dsig {

struct XmlSignOptions {
  // Reference "#id" to the element with this ID instead of URI="" (the
  // element must exist; NCANode's form). Empty: the whole document.
  std::string reference_id;
  // Signature algorithm; default: the key's (GOST 2015-512 or RSA-SHA256).
  std::optional<pki::SignatureAlgorithm> algorithm;
  xml::ParseLimits xml_limits;
};

// Appends a ds:Signature as the last child of the document element and
// returns the signed document as text. A document that is already signed
// gets a co-signature covering the existing ones. Throws qujat::Error
// ("xml.*" for unreadable input, "dsig.sign" otherwise).
std::string sign_xml(std::string_view xml, const pki::KeyStore& signer, const XmlSignOptions& options = {});

// Verifies every ds:Signature of the document (NCALayer co-signing rule:
// signature i is checked on the document without itself and every later
// signature). Never throws for bad input: the report says why.
VerificationReport verify_xml(std::string_view xml, const VerifyOptions& options);

}  // namespace qujat::dsig
