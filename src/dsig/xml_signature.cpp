#include "dsig/xml_signature.h"

#include <xmlsec/list.h>

#include "dsig/certificate_cache.h"
#include "dsig/xml_names.h"
#include "dsig/xmlsec_kz.h"
#include "qujat/common/error.h"
#include "qujat/xml/c14n.h"

namespace qujat::dsig {

namespace {

using xml::attribute;
using xml::child_elements;
using xml::first_child_element;
using xml::is_element;

std::string local(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

bool allowed_transform(std::string_view uri) {
  xml::C14nMethod m;
  return uri == names::kEnveloped || xml::c14n_from_uri(uri, m);
}

// `finding` names the element for a person's report (kk/ru/en).
Bytes decode_base64(const xmlNode* node, const std::string& what, const Finding& finding) {
  auto bytes = base64_decode(xml::text_content(node));
  if (!bytes || bytes->empty())
    throw Error("dsig.malformed", what + " is not valid base64 (truncated or damaged)", {}, finding);
  return *bytes;
}

}  // namespace

XmlSignature read_signature(const xml::Document& doc, xmlNode* node, const VerifyOptions& options,
                            bool key_info_required) {
  XmlSignature sig;
  sig.node = node;
  if (!xml::descendants(node, names::kDsig, "Signature").empty())
    throw Error("dsig.malformed", "a ds:Signature contains another ds:Signature", {},
                {"dsig.malformed.nested_signature", {}});
  if (!xml::descendants(node, names::kDsig, "RetrievalMethod").empty())
    throw Error("dsig.forbidden", "KeyInfo uses RetrievalMethod; keys are never fetched from elsewhere", {},
                {"dsig.forbidden.retrieval_method", {}});
  if (!xml::descendants(node, names::kDsig, "Manifest").empty())
    throw Error("dsig.unsupported", "ds:Manifest is not supported", {}, {"dsig.unsupported.manifest", {}});

  auto children = child_elements(node);
  if (children.size() < 2 || !is_element(children[0], names::kDsig, "SignedInfo") ||
      !is_element(children[1], names::kDsig, "SignatureValue"))
    throw Error("dsig.malformed", "ds:Signature must start with ds:SignedInfo and ds:SignatureValue", {},
                {"dsig.malformed.signature_structure", {}});
  sig.signed_info = children[0];
  for (std::size_t i = 2; i < children.size(); ++i) {
    if (is_element(children[i], names::kDsig, "KeyInfo") && i == 2) {
      sig.key_info = children[i];
    } else if (!is_element(children[i], names::kDsig, "Object")) {
      throw Error("dsig.malformed", "unexpected element <" + local(children[i]) + "> in ds:Signature", {},
                  {"dsig.malformed.unexpected_element", {{"element", local(children[i])}, {"parent", "ds:Signature"}}});
    }
  }
  sig.signature_value =
      decode_base64(children[1], "SignatureValue", {"dsig.malformed.base64", {{"element", "ds:SignatureValue"}}});

  auto si = child_elements(sig.signed_info);
  if (si.size() < 3 || !is_element(si[0], names::kDsig, "CanonicalizationMethod") ||
      !is_element(si[1], names::kDsig, "SignatureMethod"))
    throw Error("dsig.malformed", "ds:SignedInfo must hold CanonicalizationMethod, SignatureMethod and References", {},
                {"dsig.malformed.signed_info_structure", {}});
  // An algorithm qujat does not know is not a forgery: the first one met is
  // kept as the reason the signature is INDETERMINATE (ETSI EN 319 102-1).
  auto cannot_compute = [&sig](Finding why) {
    if (!sig.unsupported) sig.unsupported = std::move(why);
  };
  sig.c14n_uri = attribute(si[0], "Algorithm");
  xml::C14nMethod method;
  if (!xml::c14n_from_uri(sig.c14n_uri, method))
    cannot_compute({"dsig.unsupported.c14n", {{"algorithm", sig.c14n_uri}}});
  std::string sm = attribute(si[1], "Algorithm");
  if (auto alg = pki::signature_from_uri(sm))
    sig.algorithm = *alg;
  else
    cannot_compute({"dsig.unsupported.signature_method", {{"algorithm", sm}}});

  if (si.size() - 2 > options.max_references)
    throw Error("dsig.limits", "ds:SignedInfo has " + std::to_string(si.size() - 2) + " references, more than the limit of " +
                                   std::to_string(options.max_references),
                {}, {"dsig.limits.references", {{"count", std::to_string(si.size() - 2)},
                                                {"limit", std::to_string(options.max_references)}}});
  for (std::size_t i = 2; i < si.size(); ++i) {
    const std::string number = std::to_string(i - 1);
    const std::string label = "reference " + number;
    if (!is_element(si[i], names::kDsig, "Reference"))
      throw Error("dsig.malformed", "unexpected element <" + local(si[i]) + "> in ds:SignedInfo", {},
                  {"dsig.malformed.unexpected_element", {{"element", local(si[i])}, {"parent", "ds:SignedInfo"}}});
    XmlReference ref;
    ref.node = si[i];
    if (xmlHasProp(si[i], BAD_CAST "URI") == nullptr)
      throw Error("dsig.forbidden", label + " has no URI; only same-document references are accepted", {},
                  {"dsig.forbidden.reference_without_uri", {{"reference", number}}});
    ref.uri = attribute(si[i], "URI");
    if (ref.uri.empty()) {
      ref.target = doc.root();
    } else if (ref.uri[0] == '#' && ref.uri.find('(') == std::string::npos && ref.uri.size() > 1) {
      ref.target = doc.find_id(std::string_view(ref.uri).substr(1));
      if (ref.target == nullptr)
        throw Error("dsig.malformed", label + " points to '" + ref.uri + "', which no element of the document has as ID",
                    {}, {"dsig.malformed.reference_target", {{"reference", number}, {"uri", ref.uri}}});
    } else {
      throw Error("dsig.forbidden", label + " has URI '" + ref.uri +
                                        "'; only URI=\"\" and URI=\"#id\" inside this document are accepted "
                                        "(no external, file or XPointer references)",
                  {}, {"dsig.forbidden.reference_uri", {{"reference", number}, {"uri", ref.uri}}});
    }
    auto parts = child_elements(si[i]);
    std::size_t k = 0;
    if (k < parts.size() && is_element(parts[k], names::kDsig, "Transforms")) {
      auto transforms = child_elements(parts[k]);
      if (transforms.size() > 4)
        throw Error("dsig.limits", label + " has more than 4 transforms", {},
                    {"dsig.limits.transforms", {{"reference", number}, {"limit", "4"}}});
      for (auto* t : transforms) {
        std::string a = attribute(t, "Algorithm");
        if (!is_element(t, names::kDsig, "Transform") || !allowed_transform(a))
          throw Error("dsig.forbidden", label + " uses transform '" + a +
                                            "'; only enveloped-signature and C14N are accepted (no XSLT, no XPath)",
                      {}, {"dsig.forbidden.transform", {{"reference", number}, {"algorithm", a}}});
      }
      ++k;
    }
    if (k + 2 != parts.size() || !is_element(parts[k], names::kDsig, "DigestMethod") ||
        !is_element(parts[k + 1], names::kDsig, "DigestValue"))
      throw Error("dsig.malformed", label + " must end with DigestMethod and DigestValue", {},
                  {"dsig.malformed.reference_structure", {{"reference", number}}});
    std::string dm = attribute(parts[k], "Algorithm");
    if (!pki::digest_from_uri(dm))
      cannot_compute({"dsig.unsupported.digest_method", {{"reference", number}, {"algorithm", dm}}});
    decode_base64(parts[k + 1], label + " DigestValue",
                  {"dsig.malformed.digest_base64", {{"reference", number}, {"element", "ds:DigestValue"}}});
    sig.references.push_back(std::move(ref));
  }
  if (sig.references.empty())
    throw Error("dsig.malformed", "ds:SignedInfo has no Reference", {}, {"dsig.malformed.no_reference", {}});

  if (sig.key_info != nullptr) {
    for (auto* x : xml::descendants(sig.key_info, names::kDsig, "X509Certificate")) {
      Bytes der = decode_base64(x, "X509Certificate", {"dsig.malformed.base64", {{"element", "ds:X509Certificate"}}});
      try {
        sig.certificates.push_back(certificate_from_der(der));
      } catch (const Error& e) {
        throw Error("dsig.malformed", "X509Certificate in KeyInfo is not a readable certificate", {e.full_message()},
                    {"dsig.malformed.certificate", {{"detail", e.full_message()}}});
      }
    }
  }
  if (key_info_required && sig.certificates.empty())
    throw Error("dsig.malformed", "KeyInfo holds no X509Certificate: the signer cannot be identified", {},
                {"dsig.malformed.no_certificate", {}});
  return sig;
}

void check_cryptography(const xml::Document& doc, const XmlSignature& sig, const pki::PublicKey& key,
                        const std::string& label, SignatureReport& report) {
  const std::string number = label.substr(label.rfind(' ') + 1);  // "signature 2" -> "2"
  kz::ensure_xmlsec();
  kz::ErrorCapture capture;
  auto ctx = make_unique_ptr<xmlSecDSigCtxDestroy>(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) throw Error("dsig.xmlsec", "cannot create an xmlsec signature context");
  kz::restrict_context(*ctx);
  ctx->signKey = kz::make_verify_key(key).release();
  int rc = xmlSecDSigCtxVerify(ctx.get(), sig.node);
  report.cryptographic_valid = rc == 0 && ctx->status == xmlSecDSigStatusSucceeded;
  if (report.cryptographic_valid) return;
  if (rc < 0) {
    const std::string detail = capture.messages().empty() ? std::string() : capture.messages().back();
    report.fail({"signature.xmlsec_failed", {{"signature", number}, {"detail", detail}}});
    return;
  }
  bool reference_failed = false;
  xmlSecSize n = xmlSecPtrListGetSize(&ctx->signedInfoReferences);
  for (xmlSecSize i = 0; i < n; ++i) {
    auto* ref = static_cast<xmlSecDSigReferenceCtxPtr>(xmlSecPtrListGetItem(&ctx->signedInfoReferences, i));
    if (ref == nullptr || ref->status == xmlSecDSigStatusSucceeded) continue;
    reference_failed = true;
    std::string uri = ref->uri != nullptr ? reinterpret_cast<const char*>(ref->uri) : "";
    report.fail(
        {"reference.digest_mismatch", {{"signature", number}, {"reference", std::to_string(i + 1)}, {"uri", uri}}});
  }
  // xmlsec stops at the first bad reference; say whether the SignatureValue
  // itself still matches SignedInfo, so the report names every broken part.
  bool value_ok = false;
  try {
    xml::C14nMethod m = xml::C14nMethod::Inclusive;
    xml::c14n_from_uri(sig.c14n_uri, m);
    std::string canonical = xml::canonicalize(doc.native(), sig.signed_info, m);
    value_ok = sig.algorithm && key.verify(*sig.algorithm, as_bytes(canonical), sig.signature_value);
  } catch (const Error&) {
    value_ok = false;
  }
  if (!value_ok)
    report.fail({"signature.value_mismatch", {{"signature", number}}});
  else if (!reference_failed)
    report.fail({"signature.rejected", {{"signature", number}}});
}

}  // namespace qujat::dsig
