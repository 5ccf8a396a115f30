// One ds:Signature element read strictly before any cryptography: every
// algorithm known and allowed, every reference inside the document, base64
// values well-formed, the signer certificate taken from KeyInfo. Shared by
// XMLDSig and WS-Security verification.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "qujat/dsig/report.h"
#include "qujat/dsig/verify_options.h"
#include "qujat/pki/certificate.h"
#include "qujat/xml/document.h"

namespace qujat::dsig {

struct XmlReference {
  std::string uri;          // "" or "#id"
  xmlNode* target = nullptr;  // the referenced element (document element for "")
  xmlNode* node = nullptr;    // the ds:Reference
};

struct XmlSignature {
  xmlNode* node = nullptr;
  xmlNode* signed_info = nullptr;
  xmlNode* key_info = nullptr;
  std::string c14n_uri;
  std::optional<pki::SignatureAlgorithm> algorithm;  // empty when SignatureMethod is unknown
  Bytes signature_value;
  std::vector<XmlReference> references;
  std::vector<pki::Certificate> certificates;  // X509Certificate elements, in order
  // An algorithm qujat cannot compute (SignatureMethod, DigestMethod or
  // canonicalization): the signature is read to the end, so who signed is
  // still known, but its cryptography is INDETERMINATE for this reason.
  std::optional<Finding> unsupported;
};

// Throws qujat::Error("dsig.malformed" / "dsig.unsupported" / "dsig.forbidden")
// with a sentence naming the offending element; an unsupported algorithm is
// not thrown but recorded in XmlSignature::unsupported.
XmlSignature read_signature(const xml::Document& doc, xmlNode* signature, const VerifyOptions& options,
                            bool key_info_required = true);

// Runs xmlsec on `sig` with `key` (co-signatures after it must already be
// out of the tree). Sets cryptographic_valid and adds errors naming the
// failed reference or the signature value; `label` is "signature 2".
void check_cryptography(const xml::Document& doc, const XmlSignature& sig, const pki::PublicKey& key,
                        const std::string& label, SignatureReport& report);

}  // namespace qujat::dsig
