// xmlsec with the KZ algorithms: our own transform klasses for the NCALayer
// URIs (Streebog digests, GOST 34.10-2015 signatures) and for RSA/SHA, all
// computed by the PKI core, and a key data klass that holds a pki key. The
// rest of xmlsec (references, C14N, enveloped transform) is reused as is.
#pragma once

#include <xmlsec/keys.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>

#include <string>
#include <vector>

#include "qujat/common/memory.h"
#include "qujat/pki/keys.h"

namespace qujat::dsig::kz {

// xmlSecInit once, our klasses registered, xmlsec errors routed to
// ErrorCapture instead of stderr.
void ensure_xmlsec();

// An xmlsec key whose value is our key data holding `key` (copied).
UniquePtr<xmlSecKey, xmlSecKeyDestroy> make_verify_key(const pki::PublicKey& key);
// An xmlsec key for signing; `key` is borrowed and must outlive the xmlsec key.
UniquePtr<xmlSecKey, xmlSecKeyDestroy> make_sign_key(const pki::PrivateKey& key);

// Our klasses, for building signature templates.
xmlSecTransformId signature_klass(pki::SignatureAlgorithm algorithm);
xmlSecTransformId digest_klass(pki::DigestAlgorithm algorithm);

// Allows exactly what an NCALayer signature may use: our signature and
// digest klasses, C14N 1.0 (inclusive/exclusive, with/without comments) and
// the enveloped-signature transform; same-document URIs only. XSLT, XPath,
// XPointer, base64 and external URIs stay disabled.
void restrict_context(xmlSecDSigCtx& ctx);

// Collects xmlsec's error messages on this thread while alive.
class ErrorCapture {
 public:
  ErrorCapture();
  ~ErrorCapture();
  ErrorCapture(const ErrorCapture&) = delete;
  ErrorCapture& operator=(const ErrorCapture&) = delete;
  const std::vector<std::string>& messages() const { return messages_; }
  void add(std::string message) { messages_.push_back(std::move(message)); }

 private:
  std::vector<std::string> messages_;
  ErrorCapture* previous_;
};

}  // namespace qujat::dsig::kz
